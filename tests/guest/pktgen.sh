# pktgen: netfront's batch send (netfront_send_batch) against the real
# netback: 60-byte frames in batches of 32 for 2 s. The backend must
# take them all (no batch refused, no frame answered with an error) and
# the guest must close the vif and power off cleanly.

scenario_dom0() {
	bridge_up
	run_guest pktgen pktgen 90 'extra="2"'
}

scenario_judge() {
	local sent
	expect_match pktgen '^bench: raw_tx_60 [0-9.]+ frames/s$'
	expect_match pktgen '^pktgen: [1-9][0-9]* frames sent, 0 batches refused; the backend answered 0 frames with an error$'
	sent=$(console pktgen | sed -n 's/^pktgen: \([0-9]*\) frames sent.*/\1/p')
	[ "${sent:-0}" -ge 1000 ] ||
		judge_fail "expected at least 1000 frames sent in 2 s, saw ${sent:-none}; $(seen pktgen)"
	expect_line pktgen 'bench: done'
	expect_no_match pktgen 'broken|Fatal|fault'
	expect_reason pktgen poweroff
}
