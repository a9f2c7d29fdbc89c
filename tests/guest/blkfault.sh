# blkfault: blkfront when the disk misbehaves or goes away, against the
# real blkback over device-mapper devices in dom0.
#
# 1. error: a 4 MiB disk whose sectors 1024-2047 (bytes 512 KiB-1 MiB)
#    are a dm `error` target, the rest linear over a patterned image.
#    blkloop reads it in 64 KiB pieces, pass after pass: exactly those 8
#    pieces fail with -EIO, the other 56 read the right bytes, every
#    pass. Then `xl block-detach` takes the disk away mid-loop: the
#    detach completes (the guest walks its side to Closed), reads fail
#    with -ENODEV from then on, and the guest runs on until `xl
#    shutdown`, which it obeys cleanly.
# 2. flakey: the same image under dm-flakey (1 s up, 1 s down): reads
#    fail with -EIO while it is down and work again when it is back, with
#    never a wrong byte; the guest keeps going and shuts down cleanly.

BF_DIR=/tmp/blkfault
BF_SEED=5eed000000000000

# bf_pattern SEED COUNT - COUNT sectors of SEED's pattern from sector 0
# (8-byte little-endian words: byte offset XOR seed).
bf_pattern() {
	perl -e '
no warnings "portable";
my ($seed, $count) = (hex($ARGV[0]), $ARGV[1]);
binmode STDOUT;
for my $s (0 .. $count - 1) {
    my $o = $s * 512;
    print pack("Q<*", map { ($o + $_ * 8) ^ $seed } 0 .. 63);
}' "$1" "$2"
}

# dm_make NAME - create /dev/mapper/NAME from the table on stdin (dom0
# has no udev: no sync with it, and the node made by hand).
dm_make() {
	dmsetup create --noudevsync "$1" && dmsetup mknodes "$1"
}

# error_guest LOOP - part 1.
error_guest() {
	local guest
	printf '%s\n' "0 1024 linear $1 0" "1024 1024 error" \
		"2048 6144 linear $1 2048" | dm_make bferr
	ls -l /dev/mapper > "$OUT/mapper.txt" 2>&1
	run_guest blkloop blkloop-err 240 "extra=\"$BF_SEED\"" \
		'disk=["phy:/dev/mapper/bferr,xvda,r"]' &
	guest=$!
	if wait_console blkloop-err 'blkloop: pass 2:'; then
		timeout 90 xl block-detach blkloop-err xvda > "$OUT/detach.txt" 2>&1
		echo $? > "$OUT/detach.rc"
		xl block-list blkloop-err > "$OUT/block-list.txt" 2>&1
		sleep 2
		xl list blkloop-err > /dev/null 2>&1 && echo alive > "$OUT/alive.txt"
		xl shutdown blkloop-err
	fi
	wait "$guest"
	dmsetup remove --noudevsync bferr
}

# flakey_guest LOOP - part 2.
flakey_guest() {
	local guest
	echo "0 8192 flakey $1 0 1 1" | dm_make bfflakey
	run_guest blkloop blkloop-flakey 240 "extra=\"$BF_SEED\"" \
		'disk=["phy:/dev/mapper/bfflakey,xvda,r"]' &
	guest=$!
	# A pass can take well under the 2 s cycle: let it loop through
	# several down intervals before stopping it.
	wait_console blkloop-flakey 'blkloop: pass 3:' && sleep 6 &&
		xl shutdown blkloop-flakey
	wait "$guest"
	dmsetup remove --noudevsync bfflakey
}

scenario_dom0() {
	local loop
	mkdir -p "$BF_DIR"
	bf_pattern "$BF_SEED" 8192 > "$BF_DIR/disk.img"
	loop=$(losetup -f --show "$BF_DIR/disk.img")
	error_guest "$loop"
	flakey_guest "$loop"
	losetup -d "$loop"
	dmsetup ls > "$OUT/dm-after.txt" 2>&1
	rm -rf "$BF_DIR"
}

# flakey_passes_ok - every pass read only right bytes, some reads
# failed while the device was down and some worked.
flakey_passes_ok() {
	local ok eio
	expect_match blkloop-flakey '^blkloop: pass 3: [0-9]+ ok, [0-9]+ EIO .*, 0 wrong, 0 other errors'
	expect_no_match blkloop-flakey 'broken|Fatal|fault'
	expect_no_match blkloop-flakey '^blkloop: pass [0-9]+: .*, [1-9][0-9]* wrong'
	ok=$(console blkloop-flakey | sed -n 's/^blkloop: stopped after [0-9]* passes: \([0-9]*\) reads ok, \([0-9]*\) EIO.*/\1/p')
	eio=$(console blkloop-flakey | sed -n 's/^blkloop: stopped after [0-9]* passes: \([0-9]*\) reads ok, \([0-9]*\) EIO.*/\2/p')
	[ "${ok:-0}" -gt 0 ] && [ "${eio:-0}" -gt 0 ] ||
		judge_fail "expected both working and -EIO reads over dm-flakey, saw ${ok:-?} ok and ${eio:-?} EIO; $(seen blkloop-flakey)"
}

scenario_judge() {
	expect_line blkloop-err 'blkloop: disk 51712: 8192 sectors'
	expect_line blkloop-err 'blkloop: pass 1: 56 ok, 8 EIO (first 524288, last 983040), 0 wrong, 0 other errors (0)'
	expect_line blkloop-err 'blkloop: pass 2: 56 ok, 8 EIO (first 524288, last 983040), 0 wrong, 0 other errors (0)'
	[ "$(cat "$OUT/detach.rc" 2>/dev/null)" = 0 ] ||
		judge_fail "expected xl block-detach to succeed, it exited $(cat "$OUT/detach.rc" 2>/dev/null || echo '(not run)'): $(cat "$OUT/detach.txt" 2>/dev/null)"
	[ "$(grep -c . "$OUT/block-list.txt" 2>/dev/null)" = 1 ] ||
		judge_fail "expected xl block-list to show no disk after the detach, saw: $(cat "$OUT/block-list.txt" 2>/dev/null)"
	expect_match blkloop-err '^minnow: device/vbd/51712: backend /local/domain/0/backend/vbd/[0-9]+/51712 went (Closing|Closed|Unknown); closing the device$'
	expect_line blkloop-err 'minnow: device/vbd/51712: closed at the backend'"'"'s request'
	expect_match blkloop-err '^blkloop: disk gone during pass [0-9]+: No such device$'
	expect_line blkloop-err 'blkloop: a read after that: No such device'
	[ "$(cat "$OUT/alive.txt" 2>/dev/null)" = alive ] ||
		judge_fail "expected the guest still running after the detach; $(seen blkloop-err)"
	expect_match blkloop-err '^blkloop: stopped after [0-9]+ passes: .* close 0$'
	expect_no_match blkloop-err 'broken|Fatal|fault'
	expect_reason blkloop-err poweroff
	flakey_passes_ok
	expect_match blkloop-flakey '^blkloop: stopped after [0-9]+ passes: .* close 0$'
	expect_reason blkloop-flakey poweroff
	[ ! -s "$OUT/dm-after.txt" ] || grep -q 'No devices found' "$OUT/dm-after.txt" ||
		judge_fail "device-mapper devices left in dom0: $(cat "$OUT/dm-after.txt")"
}
