# net: netfront against the real netback on bridge xenbr0: dom0 pings
# the guest (which answers ARP and ICMP itself, through the raw packet
# API), with small and full-MTU packets; a second guest pings the first
# across the bridge; then `xl shutdown` closes the vifs cleanly and
# dom0's vif devices go away.

scenario_dom0() {
	local id
	bridge_up
	run_guest nettest nettest 180 'extra="10.0.0.2"' 'vif=["bridge=xenbr0"]' &
	if wait_console nettest 'nettest: ready'; then
		id=$(xl domid nettest)
		ping -c 20 -i 0.2 -W 3 10.0.0.2 > "$OUT/ping.txt" 2>&1
		ping -c 5 -i 0.2 -W 3 -s 1472 10.0.0.2 > "$OUT/ping-big.txt" 2>&1
		run_guest nettest nettest2 120 'extra="10.0.0.3 ping 10.0.0.2"' \
			'vif=["bridge=xenbr0"]' &
		wait_console nettest2 'nettest: pinged\|never answered'
		xl shutdown nettest2
		xl shutdown nettest
		sleep 1
		vif_gone "$id" "$OUT/vif-after.txt"
	fi
	wait
}

# ping_ok FILE - the ping summary says 0% loss.
ping_ok() {
	grep -q ' 0% packet loss' "$OUT/$1" 2>/dev/null ||
		judge_fail "expected 0% loss in $1, saw: $(tail -n 2 "$OUT/$1" 2>/dev/null | tr '\n' ' ')"
}

scenario_judge() {
	expect_match nettest '^nettest: ready 10\.0\.0\.2 mac 00:16:3e'
	ping_ok ping.txt
	ping_ok ping-big.txt
	expect_match nettest '^nettest: closed \(0\): .* echo 45, malformed 0'
	expect_reason nettest poweroff
	expect_line nettest2 'nettest: pinged 10.0.0.2: 20 sent, 20 replies'
	expect_reason nettest2 poweroff
	[ "$(cat "$OUT/vif-after.txt" 2>/dev/null)" = gone ] ||
		judge_fail "dom0's vif device is still there after xl shutdown"
}
