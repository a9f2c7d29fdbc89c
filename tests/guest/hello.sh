# hello: every expected line, arguments with blanks round-trip, and a
# clean poweroff seen by xl.

scenario_dom0() {
	run_guest hello hello 60 \
		"extra=\"first 'two words' third=3 \\\"double quoted\\\"\""
}

scenario_judge() {
	expect_line hello 'Hello from Minnow!'
	expect_line hello 'argc = 5'
	expect_line hello 'argv[0] = "hello"'
	expect_line hello 'argv[1] = "first"'
	expect_line hello 'argv[2] = "two words"'
	expect_line hello 'argv[3] = "third=3"'
	expect_line hello 'argv[4] = "double quoted"'
	expect_match hello '^Xen version 4\.17'
	expect_match hello '^memory: [0-9]+ pages'
	expect_line hello 'hello: done'
	expect_no_match hello 'minnow: (panic|bad command line)'
	expect_reason hello poweroff
}
