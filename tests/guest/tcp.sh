# tcp: lwIP's TCP sockets against the real netback. tcp-echo (thread per
# connection) echoes a 50 MiB stream of random bytes while dom0 is still
# sending it (50 MiB each way at once), then three 256 KiB streams at
# once; dom0 compares every byte that comes back with what it sent and
# notes how long the big stream took. A second guest is destroyed with
# `xl destroy` in the middle of a stream: dom0 and the first guest must
# go on working (a fresh stream to the first guest after that). Then
# `xl shutdown`.

TCP_GUEST_IP=10.0.0.4

# destroy_mid_stream - xl destroy a guest while dom0 streams to it.
destroy_mid_stream() {
	local p
	run_guest tcp-echo tcp-victim 240 'extra="10.0.0.5/24"' \
		'vif=["bridge=xenbr0"]' &
	wait_console tcp-victim 'tcp-echo: ready' || return
	tcp_stream "$OUT/big.in" "$OUT/victim.out" 10.0.0.5 2>/dev/null &
	p=$!
	sleep 2
	xl destroy tcp-victim
	kill $p 2>/dev/null	# its peer vanished without a word: stop waiting
	wait $p
	echo "destroyed" > "$OUT/victim.txt"
	tcp_stream "$OUT/small1.in" "$OUT/after.out"
}

scenario_dom0() {
	bridge_up
	run_guest tcp-echo tcp-echo 240 "extra=\"$TCP_GUEST_IP/24\"" \
		'vif=["bridge=xenbr0"]' &
	local pids="" i t0
	if wait_console tcp-echo 'tcp-echo: ready'; then
		head -c 52428800 /dev/urandom > "$OUT/big.in"
		t0=$(date +%s.%N)
		tcp_stream "$OUT/big.in" "$OUT/big.out"
		echo "$t0 $(date +%s.%N)" > "$OUT/big.time"
		for i in 1 2 3; do
			head -c 262144 /dev/urandom > "$OUT/small$i.in"
			tcp_stream "$OUT/small$i.in" "$OUT/small$i.out" &
			pids="$pids $!"
		done
		wait $pids
		destroy_mid_stream
		xl shutdown tcp-echo
	fi
	wait
}

scenario_judge() {
	expect_line tcp-echo "tcp-echo: ready $TCP_GUEST_IP port 7"
	for f in big small1 small2 small3; do
		if ! cmp -s "$OUT/$f.in" "$OUT/$f.out"; then
			judge_fail "the echo of $f ($(stat -c %s "$OUT/$f.in" 2>/dev/null) bytes) differs: got $(stat -c %s "$OUT/$f.out" 2>/dev/null || echo no) bytes back"
			break
		fi
	done
	[ "$(cat "$OUT/victim.txt" 2>/dev/null)" = destroyed ] ||
		judge_fail "the second guest was not destroyed mid-stream"
	cmp -s "$OUT/small1.in" "$OUT/after.out" ||
		judge_fail "after xl destroy of the other guest, the echo differs"
	expect_match tcp-echo '^tcp-echo: stopped: 5 connections, 53477376 bytes echoed, 0 errors$'
	expect_reason tcp-echo poweroff
}
