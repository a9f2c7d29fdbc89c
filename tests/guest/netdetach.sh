# netdetach: dom0 takes a vif away from a running guest. udp-echo
# (10.0.0.31) answers pings; then `xl network-detach` removes its vif:
# the guest's netfront sees the backend leave Connected, stops its I/O
# and walks its side to Closed, so the detach completes, dom0's vif
# device goes and the guest itself keeps running (no crash, no hang)
# until `xl shutdown`, which it still obeys cleanly.

ND_IP=10.0.0.31

scenario_dom0() {
	local id guest
	bridge_up
	run_guest udp-echo udp-echo-nd 240 "extra=\"$ND_IP/24\"" \
		'vif=["bridge=xenbr0"]' &
	guest=$!
	if wait_console udp-echo-nd 'udp-echo: ready'; then
		id=$(xl domid udp-echo-nd)
		ping -c 3 -i 0.2 -W 3 "$ND_IP" > "$OUT/ping-before.txt" 2>&1
		timeout 90 xl network-detach udp-echo-nd 0 > "$OUT/detach.txt" 2>&1
		echo $? > "$OUT/detach.rc"
		vif_gone "$id" "$OUT/vif-after.txt"
		xl network-list udp-echo-nd > "$OUT/network-list.txt" 2>&1
		ping -c 2 -i 0.5 -W 1 "$ND_IP" > "$OUT/ping-after.txt" 2>&1
		sleep 2
		xl list udp-echo-nd > /dev/null 2>&1 && echo alive > "$OUT/alive.txt"
		xl shutdown udp-echo-nd
	fi
	wait "$guest"
}

scenario_judge() {
	grep -q ' 0% packet loss' "$OUT/ping-before.txt" 2>/dev/null ||
		judge_fail "expected the guest to answer pings before the detach, saw: $(grep -h 'packet loss' "$OUT/ping-before.txt" 2>/dev/null)"
	[ "$(cat "$OUT/detach.rc" 2>/dev/null)" = 0 ] ||
		judge_fail "expected xl network-detach to succeed, it exited $(cat "$OUT/detach.rc" 2>/dev/null || echo '(not run)'): $(cat "$OUT/detach.txt" 2>/dev/null)"
	[ "$(cat "$OUT/vif-after.txt" 2>/dev/null)" = gone ] ||
		judge_fail "dom0's vif device is still there after xl network-detach"
	[ "$(grep -c . "$OUT/network-list.txt" 2>/dev/null)" = 1 ] ||
		judge_fail "expected xl network-list to show no vif after the detach, saw: $(cat "$OUT/network-list.txt" 2>/dev/null)"
	grep -q ' 100% packet loss' "$OUT/ping-after.txt" 2>/dev/null ||
		judge_fail "expected no ping answer without the vif, saw: $(grep -h 'packet loss' "$OUT/ping-after.txt" 2>/dev/null)"
	expect_match udp-echo-nd '^minnow: device/vif/0: backend /local/domain/0/backend/vif/[0-9]+/0 went (Closing|Closed|Unknown); closing the device$'
	expect_line udp-echo-nd 'minnow: device/vif/0: closed at the backend'"'"'s request'
	[ "$(cat "$OUT/alive.txt" 2>/dev/null)" = alive ] ||
		judge_fail "expected the guest still running after the detach; $(seen udp-echo-nd)"
	expect_match udp-echo-nd '^udp-echo: stopped \(close 0\)'
	expect_no_match udp-echo-nd 'broken|Fatal|fault'
	expect_reason udp-echo-nd poweroff
}
