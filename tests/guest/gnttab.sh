# gnttab: the grant table module checked from inside a guest (growth,
# end-access protocol, exhaustion, GNTTABOP_copy and map on our own
# pages); each check is a verdict of its own.

scenario_dom0() {
	run_guest granttest granttest 120
}

scenario_judge() {
	guest_verdicts granttest 'granttest: '
	expect_match granttest '^granttest: [0-9]+ passed, 0 failed$'
	expect_reason granttest poweroff
}
