# blk: blkfront against the real blkback. dom0 makes two disk images in
# its RAM (/tmp): xvda (16 MiB, rw) whose first 2 MiB hold a pattern,
# xvdb (4 MiB, attached read-only) full of it. blktest reads the
# pattern, writes its own at 4 MiB (1 MiB, one request) and into the
# last sector, flushes, gets -EINVAL/-EROFS where it must, keeps 96
# reads in flight, closes and reopens. After it ends dom0 copies the
# regions out of the images; the host compares them byte for byte with
# both patterns, and checks dom0 let go of the loop devices.
#
# A pattern's 8-byte words are their byte offset on the disk XORed with
# a seed (dom0's 5eed..., the guest's 6e57...), little-endian.

BLK_DIR=/tmp/minnow-blk
BLK_SECTORS=32768		# xvda: 16 MiB
BLK_WRITE=8192:2048		# where the guest writes (sectors)

# blk_pattern SEED START COUNT - the pattern for COUNT sectors from START.
blk_pattern() {
	perl -e '
no warnings "portable";
my ($seed, $start, $count) = (hex($ARGV[0]), $ARGV[1], $ARGV[2]);
binmode STDOUT;
for my $s ($start .. $start + $count - 1) {
    my $o = $s * 512;
    print pack("Q<*", map { ($o + $_ * 8) ^ $seed } 0 .. 63);
}' "$1" "$2" "$3"
}

# blk_extract IMG START COUNT OUTFILE - COUNT sectors of IMG from START.
blk_extract() {
	dd if="$1" of="$4" bs=512 skip="$2" count="$3" 2>/dev/null
}

scenario_dom0() {
	mkdir -p "$BLK_DIR"
	rm -f "$BLK_DIR"/*.img
	truncate -s 16M "$BLK_DIR/rw.img"
	blk_pattern 5eed000000000000 0 4096 |
		dd of="$BLK_DIR/rw.img" conv=notrunc 2>/dev/null
	blk_pattern 5eed000000000000 0 8192 > "$BLK_DIR/ro.img"
	cp "$BLK_DIR/ro.img" "$OUT/ro.before"
	run_guest blktest blktest 240 \
		"extra=\"sectors=$BLK_SECTORS check=0:4096 write=$BLK_WRITE ro-check=0:8192\"" \
		"disk=[\"$BLK_DIR/rw.img,raw,xvda,rw\", \"$BLK_DIR/ro.img,raw,xvdb,r\"]"
	blk_extract "$BLK_DIR/rw.img" 0 4096 "$OUT/dom0-region.bin"
	blk_extract "$BLK_DIR/rw.img" "${BLK_WRITE%:*}" "${BLK_WRITE#*:}" "$OUT/written.bin"
	blk_extract "$BLK_DIR/rw.img" $((BLK_SECTORS - 1)) 1 "$OUT/last.bin"
	blk_extract "$BLK_DIR/rw.img" 4096 4096 "$OUT/untouched.bin"
	cp "$BLK_DIR/ro.img" "$OUT/ro.after"
	for _ in $(seq 20); do		# the hotplug script detaches them
		[ -z "$(losetup -a)" ] && break
		sleep 0.5
	done
	losetup -a > "$OUT/loops.txt" 2>&1
	xenstore-ls /local/domain/0/backend/vbd > "$OUT/backend.txt" 2>&1
	rm -rf "$BLK_DIR"
}

# blk_same FILE SEED START COUNT WHAT - FILE holds SEED's pattern.
blk_same() {
	local diff
	diff=$(blk_pattern "$2" "$3" "$4" | cmp - "$1" 2>&1) ||
		judge_fail "$5: differs from the expected pattern: $diff"
}

scenario_judge() {
	guest_verdicts blktest 'blktest: '
	expect_match blktest '^blktest: [0-9]+ passed, 0 failed$'
	expect_reason blktest poweroff
	blk_same "$OUT/written.bin" 6e57000000000000 "${BLK_WRITE%:*}" "${BLK_WRITE#*:}" \
		"the guest's 1 MiB write, read by dom0"
	blk_same "$OUT/last.bin" 6e57000000000000 $((BLK_SECTORS - 1)) 1 \
		"the guest's write to the last sector"
	blk_same "$OUT/dom0-region.bin" 5eed000000000000 0 4096 \
		"dom0's pattern (the guest only read it)"
	cmp -s -n 2097152 "$OUT/untouched.bin" /dev/zero ||
		judge_fail "sectors 4096..8191 should still be zero: the guest wrote where it should not"
	cmp -s "$OUT/ro.before" "$OUT/ro.after" ||
		judge_fail "the read-only image changed"
	[ ! -s "$OUT/loops.txt" ] ||
		judge_fail "loop devices left attached after the guest ended: $(head -n 3 "$OUT/loops.txt")"
}
