# notes: Xen's own readnotes (xen-utils, in dom0) lists the image's ELF
# notes the way the domain builder will read them.

scenario_dom0() {
	/usr/lib/xen-4.17/bin/readnotes "$BUILD/hello/hello.elf" \
		> "$OUT/notes.console.log" 2>&1
	echo "readnotes exit $?" >> "$OUT/notes.console.log"
}

scenario_judge() {
	expect_line notes 'readnotes exit 0'
	expect_line notes 'GUEST_OS: Minnow'
	expect_line notes 'LOADER: generic'
	expect_line notes 'XEN_VERSION: xen-3.0'
	expect_line notes 'FEATURES: !writable_page_tables'
	expect_match notes '^VIRT_BASE: +0 \(8 bytes\)$'
	expect_match notes '^ENTRY: +0x10000 \(8 bytes\)$'
	expect_match notes '^HYPERCALL_PAGE: +0x11000 \(8 bytes\)$'
}
