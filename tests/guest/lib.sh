# tests/guest/lib.sh - helpers for testbed scenarios (sourced, bash).
#
# A scenario is tests/guest/<name>.sh defining two functions:
#   scenario_dom0   runs inside dom0 on the testbed: creates guests with
#                   run_guest and leaves their logs in $OUT
#   scenario_judge  runs on the host afterwards: checks those logs with
#                   the expect_* helpers below
# $BUILD is the build folder (same absolute path in dom0 and on the
# host), $OUT this scenario's output folder inside it.

# --- dom0 side -------------------------------------------------------

# guest_config APP NAME - write $OUT/NAME.xl: APP's config renamed NAME,
# so each scenario's guest and console log have a name of their own.
guest_config() {
	sed "s/^name = .*/name = \"$2\"/" "$BUILD/$1/$1.xl" > "$OUT/$2.xl"
	echo "$OUT/$2.xl"
}

# run_guest APP NAME TIMEOUT [xl key=value...] - boot APP as guest NAME,
# wait for it to end (at most TIMEOUT s), collect NAME.reason,
# NAME.console.log and NAME.xl.log in $OUT.
run_guest() {
	local app=$1 name=$2 timeout=$3 cfg
	shift 3
	cfg=$(guest_config "$app" "$name")
	minnow-run-guest "$cfg" "$timeout" "$OUT" "$@"
}

# wait_console NAME TEXT - wait (up to 60 s) until guest NAME's console
# shows TEXT (a grep pattern). Fails if it never does.
wait_console() {
	for _ in $(seq 240); do
		grep -q "$2" "/var/log/xen/console/guest-$1.log" 2>/dev/null && return 0
		sleep 0.25
	done
	return 1
}

# bridge_up - dom0's end of the test network: xenbr0 at 10.0.0.1/24.
bridge_up() {
	ip addr add 10.0.0.1/24 dev xenbr0 2>/dev/null
	ip link set xenbr0 up
}

# vif_gone DOMID FILE - wait (up to 20 s) for dom0's vifDOMID.0 to go;
# FILE then says "gone" or "present".
vif_gone() {
	for _ in $(seq 40); do
		ip link show "vif$1.0" >/dev/null 2>&1 || break
		sleep 0.5
	done
	if ip link show "vif$1.0" >/dev/null 2>&1; then
		echo present > "$2"
	else
		echo gone > "$2"
	fi
}

# tcp_stream FILE OUT [HOST] - send FILE to HOST's port 7 (IPv4 or IPv6; default
# $TCP_GUEST_IP) while reading the echo into OUT (perl: a writer and a
# reader process).
tcp_stream() {
	perl -e '
use strict;
use warnings;
use IO::Socket::IP;
use Socket qw(SHUT_WR);

my ($host, $in, $out) = @ARGV;
$SIG{PIPE} = "IGNORE";
alarm 400;			# never hang the job
my $s = IO::Socket::IP->new(PeerHost => $host, PeerPort => 7,
                            Proto => "tcp", Timeout => 20)
    or die "connect: $!\n";
my $pid = fork() // die "fork: $!\n";
if (!$pid) {			# the writer
    open(my $f, "<", $in) or die "$in: $!\n";
    binmode $f;
    my $buf;
    while (my $n = read($f, $buf, 65536)) {
        print $s $buf or die "send: $!\n";
    }
    shutdown($s, SHUT_WR);
    exit 0;
}
open(my $o, ">", $out) or die "$out: $!\n";
binmode $o;
my $buf;
while (1) {			# the reader, until the server closes
    my $n = sysread($s, $buf, 65536);
    die "recv: $!\n" unless defined $n;
    last if $n == 0;
    print $o $buf;
}
waitpid($pid, 0);
' "${3:-$TCP_GUEST_IP}" "$1" "$2"
}

# --- host side -------------------------------------------------------

JUDGE_FAILED=""

# judge_fail MESSAGE - record the first failed expectation.
judge_fail() {
	[ -n "$JUDGE_FAILED" ] || JUDGE_FAILED=$1
}

# console NAME - the guest's console log without carriage returns.
console() {
	tr -d '\r' < "$OUT/$1.console.log" 2>/dev/null
}

# seen NAME - the last lines of the console, for failure messages.
seen() {
	local tail
	tail=$(console "$1" | tail -n 6 | sed 's/^/    | /')
	printf 'console log %s ends with:\n%s' "$OUT/$1.console.log" "${tail:-    | (empty or missing)}"
}

# expect_line NAME TEXT - the console has a line exactly TEXT.
expect_line() {
	console "$1" | grep -Fxq -- "$2" ||
		judge_fail "expected the line '$2' on $1's console; $(seen "$1")"
}

# expect_match NAME REGEX - some console line matches REGEX (grep -E).
expect_match() {
	console "$1" | grep -Eq -- "$2" ||
		judge_fail "expected a line matching /$2/ on $1's console; $(seen "$1")"
}

# expect_no_match NAME REGEX - no console line matches REGEX.
expect_no_match() {
	local line
	line=$(console "$1" | grep -E -m1 -- "$2") &&
		judge_fail "did not expect '$line' on $1's console"
	return 0
}

# expect_reason NAME REASON - xl saw the guest end with REASON.
expect_reason() {
	local got
	got=$(cat "$OUT/$1.reason" 2>/dev/null || echo "missing")
	[ "$got" = "$2" ] ||
		judge_fail "expected $1 to end with reason '$2', xl saw '$got'; $(seen "$1")"
}

# guest_verdicts NAME PREFIX - forward the guest's own verdict lines
# ("<PREFIX>PASS <check>", "<PREFIX>FAIL <check>: <why>") as verdicts of
# their own; tests/run counts them under guest/<scenario>/<check>.
guest_verdicts() {
	console "$1" | sed -n "s/^$2PASS \(.*\)$/PASS: \1/p; s/^$2FAIL \([^:]*\): \(.*\)$/FAIL: \1: \2/p"
}
