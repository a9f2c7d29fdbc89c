# xenstore: the client against the real oxenstored (read, write, ENOENT,
# EACCES, directory, rm, transactions with a real conflict, 8 threads at
# once, watches, a value exchanged with dom0), then `xl shutdown` and
# `xl reboot` reaching the guest through control/shutdown, and the
# frontend handshake helper against a real vif backend (netback).


scenario_dom0() {
	local id
	run_guest xstest xstest 120 &
	wait_console xstest 'xstest: ready'
	id=$(xl domid xstest)
	xenstore-read "/local/domain/$id/data/to-dom0" > "$OUT/to-dom0.txt"
	xenstore-write "/local/domain/$id/data/from-dom0" "hello from dom0"
	run_guest xstest xs-bus 120 'extra="xenbus"' 'vif=["bridge=xenbr0"]' &
	run_guest xstest xs-off 120 'extra="wait-shutdown"' &
	run_guest xstest xs-reboot 120 'extra="wait-shutdown"' &
	wait_console xs-off 'xstest: waiting' && xl shutdown xs-off
	wait_console xs-reboot 'xstest: waiting' && xl reboot xs-reboot
	wait
}

scenario_judge() {
	guest_verdicts xstest 'xstest: '
	expect_line xstest 'xstest: 6 passed, 0 failed'
	expect_reason xstest poweroff
	[ "$(cat "$OUT/to-dom0.txt" 2>/dev/null)" = 42 ] ||
		judge_fail "dom0 read '$(cat "$OUT/to-dom0.txt" 2>/dev/null)' from the guest's data/to-dom0, wanted 42"
	guest_verdicts xs-bus 'xstest: '
	expect_line xs-bus 'xstest: PASS xenbus_vif'
	expect_reason xs-bus poweroff
	expect_line xs-off 'minnow: poweroff requested by the toolstack'
	expect_line xs-off 'xstest: shutdown hook, reason 0'
	expect_reason xs-off poweroff
	expect_line xs-reboot 'minnow: reboot requested by the toolstack'
	expect_line xs-reboot 'xstest: shutdown hook, reason 1'
	expect_reason xs-reboot reboot
}
