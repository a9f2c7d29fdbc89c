# notes: Xen's own readnotes (xen-utils, in dom0) lists the image's ELF
# notes the way the domain builder will read them.

scenario_dom0() {
	/usr/lib/xen-4.17/bin/readnotes "$BUILD/hello/hello.elf" \
		> "$OUT/notes.console.log" 2>&1
	echo "readnotes exit $?" >> "$OUT/notes.console.log"
}

scenario_judge() {
	expect_line notes 'readnotes exit 0'
	expect_match notes 'GUEST_OS = "Minnow"'
	expect_match notes 'LOADER = "generic"'
	expect_match notes 'XEN_VERSION = "xen-3.0"'
	expect_match notes 'VIRT_BASE = 0x0+$'
	expect_match notes 'ENTRY = 0x0*10000$'
	expect_match notes 'HYPERCALL_PAGE = 0x0*11000$'
}
