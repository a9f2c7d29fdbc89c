# crash: faults give a report that names the faulting function and its
# callers, and xl sees the domain crash. Also proves the page
# protections (kernel text is read-only, data is not executable) and
# that a runaway recursion in a thread is stopped with a report naming
# the thread, before its guard page is hit.

scenario_dom0() {	# two guests at a time: the testbed has 2 CPUs
	run_guest crash crash 60 &
	run_guest crash crash-text 60 'extra="text"'
	wait
	run_guest crash crash-exec 60 'extra="exec"' &
	run_guest crash crash-ud2 60 'extra="ud2"'
	wait
	run_guest crash crash-overflow 60 'extra="overflow"' &
	run_guest crash crash-assert 60 'extra="assert"'
	wait
}

scenario_judge() {
	expect_line crash 'crash: mode null'
	expect_match crash '^minnow: page fault \(vector 14\) at [0-9a-f]+ <crash_write_bad_pointer\+0x[0-9a-f]+>$'
	expect_match crash 'fault address 0000000000000008: write, page not mapped \(NULL pointer\?\)'
	expect_match crash '^  #1 [0-9a-f]+ <main\+0x[0-9a-f]+>$'
	expect_match crash '<kernel_start\+0x[0-9a-f]+>$'
	expect_no_match crash 'still alive'
	expect_reason crash crash

	expect_match crash-text '^minnow: page fault \(vector 14\) at [0-9a-f]+ <crash_write_text\+0x[0-9a-f]+>$'
	expect_match crash-text 'fault address [0-9a-f]+: write, protection violation'
	expect_no_match crash-text 'still alive'
	expect_reason crash-text crash

	expect_match crash-exec '^minnow: page fault \(vector 14\) at [0-9a-f]+ <\?>$'
	expect_match crash-exec 'fault address [0-9a-f]+: instruction fetch, protection violation'
	expect_match crash-exec '^  #1 [0-9a-f]+ <(crash_exec_data|main)\+0x[0-9a-f]+>$'
	expect_no_match crash-exec 'still alive'
	expect_reason crash-exec crash

	expect_match crash-ud2 '^minnow: invalid opcode \(vector 6\) at [0-9a-f]+ <crash_invalid_opcode\+0x[0-9a-f]+>$'
	expect_reason crash-ud2 crash

	expect_match crash-overflow '^minnow: stack overflow in thread deep: <recurse\+0x[0-9a-f]+> needs [0-9]+ more bytes'
	expect_match crash-overflow '^  #1 [0-9a-f]+ <recurse\+0x[0-9a-f]+>$'
	expect_reason crash-overflow crash

	expect_match crash-assert 'assertion "argc == 42" failed: file ".*crash.c", line [0-9]+, function: main'
	expect_line crash-assert 'minnow: panic: killed by signal 6 (abort)'
	expect_match crash-assert '<abort\+0x[0-9a-f]+>$'
	expect_reason crash-assert crash
}
