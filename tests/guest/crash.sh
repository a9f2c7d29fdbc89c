# crash: a bad pointer write gives a report that names the faulting
# function, and xl sees the domain crash.

scenario_dom0() {
	run_guest crash crash 60
}

scenario_judge() {
	expect_line crash 'crash: writing through a bad pointer'
	expect_match crash '^minnow: page fault \(vector 14\) at [0-9a-f]+ <crash_write_bad_pointer\+0x[0-9a-f]+>$'
	expect_match crash 'fault address 0000000000000008: write, page not mapped \(NULL pointer\?\)'
	expect_match crash '^  #1 [0-9a-f]+ <main\+0x[0-9a-f]+>$'
	expect_match crash '<kernel_start\+0x[0-9a-f]+>$'
	expect_no_match crash 'still alive'
	expect_reason crash crash
}
