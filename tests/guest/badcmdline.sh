# badcmdline: a malformed or over-long kernel command line gives a clear
# error and the guest ends (status 2, reason crash) instead of hanging
# or running main with wrong arguments.

scenario_dom0() {
	run_guest hello badquote 60 "extra=\"ok 'unterminated\"" &
	run_guest hello toolong 60 "extra=\"$(printf 'x%.0s' $(seq 1 1100))\""
	wait
	run_guest hello ctrlchar 60 "extra=\"tab\\tok bell$(printf '\a')\""
}

scenario_judge() {
	expect_line badquote 'minnow: bad command line: unterminated quote (at byte 3)'
	expect_line badquote 'minnow: hello exited with status 2; shutting down with reason crash'
	expect_no_match badquote 'Hello from Minnow'
	expect_reason badquote crash
	expect_match toolong '^minnow: bad command line: command line reaches the toolstack.s length limit'
	expect_no_match toolong 'Hello from Minnow'
	expect_reason toolong crash
	expect_match ctrlchar '^minnow: bad command line: control character'
	expect_reason ctrlchar crash
}
