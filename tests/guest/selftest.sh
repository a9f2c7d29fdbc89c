# selftest: the kernel core checked from inside a guest (threads, wait
# primitives, time, events, memory, the profiler); each check is a
# verdict of its own. (Sourced by dash in dom0 too: no bash syntax.)

scenario_dom0() {
	run_guest selftest selftest 300
}

scenario_judge() {
	guest_verdicts selftest 'selftest: '
	expect_match selftest '^selftest: [0-9]+ passed, 0 failed$'
	expect_reason selftest poweroff
	# The profiler's report: its first function is the busy loop (as
	# GCC may name a specialised copy: selftest_prof_busy.constprop.0).
	local top
	top=$(console selftest | grep -E -m1 '^prof: +[0-9]+\.[0-9]% ' || true)
	printf '%s\n' "$top" |
		grep -Eq ' selftest_prof_busy(\.[a-z]+\.[0-9]+)*$' ||
		judge_fail "expected the profile's top line to name selftest_prof_busy; saw '${top:-no report}'"
}
