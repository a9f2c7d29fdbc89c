#!/bin/sh
# mkksyms.sh IMAGE.elf > ksyms.S
# Writes the text symbols of a first-pass link as an assembler table
# (struct ksym in lib/ksym.h): sorted addresses with offsets into a blob
# of names. With no argument it writes an empty table, for the first link.
set -eu

emit() {
	# stdin: "ADDR NAME" lines sorted by address
	awk '
	BEGIN { n = 0; off = 0 }
	{ addr[n] = $1; name[n] = $2; noff[n] = off; off += length($2) + 1; n++ }
	END {
		print "\t.section .ksyms, \"a\""
		print "\t.balign 8"
		print "\t.globl ksym_count, ksym_names_len, ksym_syms, ksym_names"
		print "ksym_count:\t.quad " n
		print "ksym_names_len:\t.quad " off
		print "ksym_syms:"
		for (i = 0; i < n; i++)
			printf "\t.quad 0x%s, %d\n", addr[i], noff[i]
		print "ksym_names:"
		for (i = 0; i < n; i++)
			printf "\t.asciz \"%s\"\n", name[i]
	}'
}

if [ $# -eq 0 ]; then
	emit < /dev/null
	exit 0
fi
# Text symbols only (t/T/w/W in .text), without local labels and
# without the linker script's section bounds (they alias real functions).
nm -n --defined-only "$1" |
	awk '$2 ~ /^[tTwW]$/ && $3 !~ /^\.L/ &&
	     $3 !~ /^(_text|_etext|_rodata|_erodata|_data|_end|__bss_start|__bss_end)$/ {
		print $1, $3 }' |
	emit
