# selftest: the kernel core checked from inside a guest (threads, wait
# primitives, time, events, memory); each check is a verdict of its own.

scenario_dom0() {
	run_guest selftest selftest 300
}

scenario_judge() {
	guest_verdicts selftest 'selftest: '
	expect_match selftest '^selftest: [0-9]+ passed, 0 failed$'
	expect_reason selftest poweroff
}
