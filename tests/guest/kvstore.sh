# kvstore: the Redis-protocol key-value server on a raw disk, against
# the real blkback and dom0's redis-cli and redis-benchmark.
#
# 1. Commands: redis-cli runs GET/SET/DEL/EXISTS/PING/DBSIZE/INFO/FLUSHDB
#    and some bad requests (the transcript is compared line by line); a
#    100 KiB binary value round-trips, a value over 256 KiB is refused
#    (the connection stays), an argument over 512 KiB is a protocol error
#    that the client still gets to read before the server closes.
#    redis-benchmark runs SET/GET/PING over 50 connections (no error);
#    40,000 SETs of 100 bytes overflow the 16 MiB log region, so the log
#    is compacted on its own, and BGREWRITEAOF compacts on request.
#    `xl shutdown`; dom0 finds a stored value in the disk image.
# 2. Durability, 3 rounds: the guest boots on the same disk and every
#    key acknowledged before must be there with its value; then three
#    writers SET new keys (each noting a key only once its +OK came, 2000
#    at most) while redis-benchmark writes too (over 2000 keys), and dom0
#    `xl destroy`s the guest at a random moment. The bounds keep the live
#    data well inside a region however fast the machine is.
# 3. A torn record: after a last round and a clean shutdown, dom0 zeroes
#    the last sector of the last record (as if the crash came while it
#    was being written). At the next boot the guest finds the bad
#    checksum at exactly that record, drops it and keeps every other key.

KV_IP=10.0.0.51
KV_DIR=/tmp/kvstore
KV_DISK="disk=[\"$KV_DIR/kv.img,raw,xvda,rw\"]"

# kv_boot NAME - start a kvstore guest on the disk (in the background;
# its pid in KV_PID); 0 once it is ready. Each guest has a new MAC:
# dom0's entry for the last one (destroyed mid-traffic, perhaps marked
# failed) is dropped, or the first connect can fail "No route to host".
kv_boot() {
	run_guest kvstore "$1" 600 "extra=\"$KV_IP/24\"" "$KV_DISK" &
	KV_PID=$!
	wait_console "$1" 'kvstore: ready' || return 1
	ip neigh flush to "$KV_IP" dev xenbr0 2>/dev/null
	return 0
}

# kv_stop NAME - xl shutdown NAME and wait for it.
kv_stop() {
	xl shutdown "$1"
	wait "$KV_PID"
}

# kv_writer PREFIX ACKFILE - SET PREFIX:1, PREFIX:2, ... one at a time
# until the server goes (2000 at most); "key<TAB>value" lines into
# ACKFILE, each written only after the server's +OK.
kv_writer() {
	perl -e '
use strict;
use warnings;
use IO::Socket::INET;
my ($host, $prefix, $ack) = @ARGV;
alarm 300;
open(my $a, ">>", $ack) or die "$ack: $!\n";
my $s = IO::Socket::INET->new(PeerAddr => $host, PeerPort => 6379,
    Proto => "tcp", Timeout => 10) or die "connect: $!\n";
for (my $i = 1; $i <= 2000; $i++) {
    my ($k, $v) = ("$prefix:$i", "$prefix-value-$i-" . ("x" x ($i % 100)));
    print $s "*3\r\n\$3\r\nSET\r\n\$" . length($k) . "\r\n$k\r\n\$" .
        length($v) . "\r\n$v\r\n" or exit 0;
    my $line = <$s>;
    exit 0 unless defined $line;
    die "reply to SET $k: $line" unless $line eq "+OK\r\n";
    syswrite($a, "$k\t$v\n");
}' "$KV_IP" "$1" "$2"
}

# kv_verify [NAME=VALUE...] ACKFILE... - GET every key of the ack files
# (pipelined, 100 at a time) and report how many are missing or wrong;
# prints "checked N missing M wrong W" and the first few bad keys.
kv_verify() {
	perl -e '
use strict;
use warnings;
use IO::Socket::INET;
alarm 300;
my $host = shift;
my @kv;
for my $f (@ARGV) {
    open(my $h, "<", $f) or next;
    while (<$h>) { chomp; my ($k, $v) = split /\t/, $_, 2; push @kv, [$k, $v] }
}
my $s = IO::Socket::INET->new(PeerAddr => $host, PeerPort => 6379,
    Proto => "tcp", Timeout => 10) or die "connect: $!\n";
my ($missing, $wrong, @bad) = (0, 0);
for (my $b = 0; $b < @kv; $b += 100) {
    my @batch = @kv[$b .. ($b + 99 < $#kv ? $b + 99 : $#kv)];
    print $s join("", map { "*2\r\n\$3\r\nGET\r\n\$" . length($_->[0]) .
        "\r\n$_->[0]\r\n" } @batch);
    for my $e (@batch) {
        my $line = <$s> // die "connection closed\n";
        if ($line eq "\$-1\r\n") {
            $missing++;
            push @bad, "missing $e->[0]" if @bad < 5;
            next;
        }
        $line =~ /^\$(\d+)\r\n$/ or die "bad reply: $line";
        my $got = "";
        while (length($got) < $1 + 2) {
            read($s, my $chunk, $1 + 2 - length($got)) or die "short read\n";
            $got .= $chunk;
        }
        substr($got, -2) = "";
        if ($got ne $e->[1]) {
            $wrong++;
            push @bad, "wrong $e->[0]" if @bad < 5;
        }
    }
}
print "checked ", scalar(@kv), " missing $missing wrong $wrong\n";
print "$_\n" for @bad;' "$KV_IP" "$@"
}

# kv_rand N - a random number below N.
kv_rand() {
	echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 ))
}

# kv_commands - part 1's redis-cli transcript and load runs.
kv_commands() {
	local cli="redis-cli --no-raw -h $KV_IP"
	{
		$cli PING
		$cli SET k1 hello
		$cli GET k1
		$cli GET nokey
		$cli EXISTS k1 nokey
		$cli SET k2 "two words"
		$cli GET k2
		$cli DBSIZE
		$cli DEL k1 k2 nokey
		$cli DBSIZE
		$cli SET k3 v3
		$cli APPEND k3 x
		$cli GET
		$cli SET k3 v3 EX 10
		$cli FLUSHDB
		$cli DBSIZE
		$cli GET k3
		$cli SET kept "$KV_MARK"
	} > "$OUT/cli.txt" 2>&1
	printf 'kept\t%s\n' "$KV_MARK" > "$OUT/ack-base"
	head -c 102400 /dev/urandom > "$KV_DIR/bin.in"
	redis-cli -h "$KV_IP" -x SET bin < "$KV_DIR/bin.in" > "$OUT/bin-set.txt" 2>&1
	redis-cli --raw -h "$KV_IP" GET bin | head -c 102400 | cmp - "$KV_DIR/bin.in" \
		> "$OUT/bin-cmp.txt" 2>&1 && echo same >> "$OUT/bin-cmp.txt"
	head -c 262145 /dev/zero | redis-cli --no-raw -h "$KV_IP" -x SET big \
		> "$OUT/big-set.txt" 2>&1
	head -c 700000 /dev/zero | redis-cli --no-raw -h "$KV_IP" -x SET huge \
		> "$OUT/huge-set.txt" 2>&1
	redis-cli --no-raw -h "$KV_IP" INFO > "$OUT/info0.txt" 2>&1
	timeout 300 redis-benchmark -h "$KV_IP" -t set,get,ping -n 5000 -c 50 -q \
		> "$OUT/bench.txt" 2>&1
	timeout 300 redis-benchmark -h "$KV_IP" -t set -n 40000 -r 500 -d 100 -c 20 -q \
		> "$OUT/bench-fill.txt" 2>&1
	redis-cli -h "$KV_IP" BGREWRITEAOF > "$OUT/rewrite.txt" 2>&1
	redis-cli --no-raw -h "$KV_IP" INFO > "$OUT/info1.txt" 2>&1
}

# kv_round N - boot, check every key acknowledged so far, write under
# load and xl destroy at a random moment.
kv_round() {
	local name="kv-r$1" pids="" w t
	if ! kv_boot "$name"; then
		xl destroy "$name"
		wait "$KV_PID"
		return
	fi
	kv_verify "$OUT"/ack-* > "$OUT/verify-r$1.txt" 2>&1
	timeout 120 redis-benchmark -h "$KV_IP" -t set -n 10000000 -r 2000 \
		-d 100 -c 20 -q > "$OUT/bench-r$1.txt" 2>&1 &
	pids=$!
	for w in 1 2 3; do
		kv_writer "r$1w$w" "$OUT/ack-r$1w$w" 2> "$OUT/writer-r$1w$w.err" &
		pids="$pids $!"
	done
	t=$((2 + $(kv_rand 3))).$(kv_rand 10)
	echo "$t" > "$OUT/destroy-after-r$1.txt"
	sleep "$t"
	xl destroy "$name"
	echo $? > "$OUT/destroy-r$1.rc"
	kill $pids 2>/dev/null	# the server vanished without a word
	wait $pids 2>/dev/null
	wait "$KV_PID"
}

# kv_torn - part 3: a last SET of a 4-sector record, a clean stop, its
# last sector zeroed, a boot that must drop it and keep the rest.
kv_torn() {
	local tail v
	kv_boot kv-last || { xl destroy kv-last; wait "$KV_PID"; return; }
	kv_verify "$OUT"/ack-* > "$OUT/verify-last.txt" 2>&1
	v=$(head -c 2000 /dev/zero | tr '\0' t)
	redis-cli -h "$KV_IP" SET torn-key "$v" > "$OUT/torn-set.txt" 2>&1
	tail=$(redis-cli -h "$KV_IP" INFO | tr -d '\r' | sed -n 's/^log_tail://p')
	echo "$tail" > "$OUT/torn-tail.txt"
	kv_stop kv-last
	[ -n "$tail" ] || return
	dd if=/dev/zero of="$KV_DIR/kv.img" bs=512 seek=$((tail / 512 - 1)) \
		count=1 conv=notrunc 2>/dev/null
	kv_boot kv-torn || { xl destroy kv-torn; wait "$KV_PID"; return; }
	kv_verify "$OUT"/ack-* > "$OUT/verify-torn.txt" 2>&1
	redis-cli --no-raw -h "$KV_IP" GET torn-key > "$OUT/torn-get.txt" 2>&1
	kv_stop kv-torn
}

scenario_dom0() {
	bridge_up
	mkdir -p "$KV_DIR"
	rm -f "$KV_DIR"/*
	truncate -s 32M "$KV_DIR/kv.img"
	KV_MARK="marker-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
	if kv_boot kv-cmds; then
		kv_commands
		kv_stop kv-cmds
	else
		xl destroy kv-cmds
		wait "$KV_PID"
	fi
	grep -c "$KV_MARK" "$KV_DIR/kv.img" > "$OUT/marker.txt" 2>&1
	for r in 1 2 3; do
		kv_round "$r"
	done
	kv_torn
	rm -rf "$KV_DIR"
}

# --- judge ---

# cli_expected - what redis-cli --no-raw prints for kv_commands.
cli_expected() {
	cat <<'EOF'
PONG
OK
"hello"
(nil)
(integer) 1
OK
"two words"
(integer) 2
(integer) 2
(integer) 0
OK
(error) ERR unknown command 'APPEND'
(error) ERR wrong number of arguments for 'GET' command
(error) ERR syntax error (SET options are not supported)
OK
(integer) 0
(nil)
OK
EOF
}

# verify_ok FILE WHAT - a kv_verify report with keys and none bad.
verify_ok() {
	grep -Eq '^checked [1-9][0-9]* missing 0 wrong 0$' "$OUT/$1" 2>/dev/null ||
		judge_fail "$2: expected every acknowledged key back intact, saw: $(head -n 6 "$OUT/$1" 2>/dev/null | tr '\n' ';')"
}

# bench_lines FILE - redis-benchmark's output, progress lines split.
bench_lines() {
	tr '\r' '\n' < "$OUT/$1" 2>/dev/null
}

# bench_ok FILE - redis-benchmark reported rates and no error.
bench_ok() {
	bench_lines "$1" | grep -Eq '^SET: [0-9.]+ requests per second' &&
		! grep -Eqi 'error|ERR' "$OUT/$1" ||
		judge_fail "expected redis-benchmark to finish without errors, saw: $(tr '\r' '\n' < "$OUT/$1" | grep -v '^$' | tail -n 4 | tr '\n' ';')"
}

# round_ok N - round N's writers got acknowledgements and the guest
# was destroyed (xl saw it end that way).
round_ok() {
	local acked
	acked=$(cat "$OUT"/ack-r"$1"w* 2>/dev/null | wc -l)
	[ "$acked" -gt 0 ] ||
		judge_fail "round $1: expected the writers to get some SETs acknowledged, got none; $(cat "$OUT"/writer-r"$1"w*.err 2>/dev/null | head -n 3)"
	expect_match "kv-r$1" '^kvstore: recovered [0-9]+ records into [0-9]+ keys'
	[ "$(cat "$OUT/destroy-r$1.rc" 2>/dev/null)" = 0 ] ||
		judge_fail "round $1: expected xl destroy to succeed, rc $(cat "$OUT/destroy-r$1.rc" 2>/dev/null || echo '(not run)')"
}

scenario_judge() {
	local tail
	cli_expected > "$OUT/cli.expected"
	diff "$OUT/cli.expected" "$OUT/cli.txt" > "$OUT/cli.diff" 2>&1 ||
		judge_fail "redis-cli transcript differs from the expected one: $(head -n 8 "$OUT/cli.diff" | tr '\n' ';')"
	grep -qx same "$OUT/bin-cmp.txt" 2>/dev/null ||
		judge_fail "expected the 100 KiB binary value back unchanged: $(cat "$OUT/bin-set.txt" "$OUT/bin-cmp.txt" 2>/dev/null)"
	grep -Fxq "(error) ERR value too long (256 KiB at most)" "$OUT/big-set.txt" 2>/dev/null ||
		judge_fail "expected a 256 KiB + 1 value to be refused, saw: $(cat "$OUT/big-set.txt" 2>/dev/null)"
	grep -Fxq "(error) ERR Protocol error: invalid bulk length" "$OUT/huge-set.txt" 2>/dev/null ||
		judge_fail "expected a 700000-byte argument to be a protocol error, saw: $(cat "$OUT/huge-set.txt" 2>/dev/null)"
	tr -d '\r' < "$OUT/info0.txt" 2>/dev/null | grep -qx 'keys:2' ||
		judge_fail "expected INFO to report 2 keys (kept, bin), saw: $(head -c 300 "$OUT/info0.txt" 2>/dev/null)"
	bench_ok bench.txt
	bench_lines bench.txt | grep -Eq '^GET: [0-9.]+ requests per second' ||
		judge_fail "expected redis-benchmark GET rates: $(tail -n 3 "$OUT/bench.txt")"
	bench_ok bench-fill.txt
	grep -Fxq OK "$OUT/rewrite.txt" 2>/dev/null ||
		judge_fail "expected BGREWRITEAOF to answer OK, saw: $(cat "$OUT/rewrite.txt" 2>/dev/null)"
	expect_match kv-cmds '^kvstore: blank disk: formatted, 2 regions of 16380 KiB$'
	expect_match kv-cmds '^kvstore: compaction 1 \(log full\): [0-9]+ keys'
	expect_match kv-cmds '^kvstore: compaction [0-9]+ \(asked\): [0-9]+ keys'
	expect_match kv-cmds '^kvstore: log: [0-9]+ keys, .* 0 disk-full errors, writes enabled$'
	expect_no_match kv-cmds 'failed|Fatal|fault'
	expect_reason kv-cmds poweroff
	[ "$(cat "$OUT/marker.txt" 2>/dev/null)" -ge 1 ] 2>/dev/null ||
		judge_fail "expected dom0 to find the value of 'kept' in the disk image, grep -c saw $(cat "$OUT/marker.txt" 2>/dev/null)"
	for r in 1 2 3; do
		verify_ok "verify-r$r.txt" "round $r, after boot"
		round_ok "$r"
	done
	verify_ok verify-last.txt "after round 3"
	tail=$(cat "$OUT/torn-tail.txt" 2>/dev/null)
	[ -n "$tail" ] || judge_fail "expected INFO's log_tail before the torn test; $(seen kv-last)"
	expect_reason kv-last poweroff
	expect_line kv-torn "kvstore: dropped a torn record at $((tail - 2048)) (checksum)"
	verify_ok verify-torn.txt "after the torn record"
	grep -Fxq '(nil)' "$OUT/torn-get.txt" 2>/dev/null ||
		judge_fail "expected the torn record's key to be gone, GET said: $(head -c 100 "$OUT/torn-get.txt" 2>/dev/null)"
	expect_no_match kv-torn 'failed|Fatal|fault'
	expect_reason kv-torn poweroff
}
