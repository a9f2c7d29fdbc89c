# netclose: the vif's life ends while the guest runs.
#
# 1. dom0 takes a vif away from a running guest. udp-echo
# (10.0.0.31) answers pings; then `xl network-detach` removes its vif:
# the guest's netfront sees the backend leave Connected, stops its I/O
# and walks its side to Closed, so the detach completes, dom0's vif
# device goes and the guest itself keeps running (no crash, no hang)
# until `xl shutdown`, which it still obeys cleanly.
# 2. `xl shutdown` during traffic: tcp-echo (10.0.0.32) is echoing a
# stream dom0 keeps sending when it is told to shut down; it ends with
# reason poweroff, its vif goes from dom0, and dom0's client sees the
# connection end (no hang) after getting back only bytes it sent.

ND_IP=10.0.0.31
SD_IP=10.0.0.32

# endless_stream HOST - send a byte pattern to HOST's port 7 and read
# the echo until the connection ends (or 120 s); then print what came
# back and how it ended.
endless_stream() {
	perl -e '
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
$| = 1;
$SIG{ALRM} = sub { print "ended: timeout\n"; exit 0 };
alarm 120;
my $s = IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort => 7,
    Proto => "tcp", Timeout => 10) or die "connect: $!\n";
$s->blocking(0);
my $chunk = join("", map { chr($_ % 251) } 0 .. 65535);
my ($sent, $got, $bad, $why) = (0, 0, 0, "");
my $sel = IO::Select->new($s);
while (!$why) {
	my ($r, $w) = IO::Select->select($sel, $sel, undef, 5);
	if ($w && @$w) {
		my $off = $sent % 251;
		my $n = syswrite($s, substr($chunk, $off, 60000));
		if (defined $n) { $sent += $n } elsif (!$!{EAGAIN}) { $why = "write: $!" }
	}
	if ($r && @$r) {
		my $n = sysread($s, my $buf, 65536);
		if (!defined $n) { $why = "read: $!" unless $!{EAGAIN}; next }
		if ($n == 0) { $why = "eof"; next }
		for my $i (0 .. $n - 1) {
			$bad++ if ord(substr($buf, $i, 1)) != ($got + $i) % 251;
		}
		$got += $n;
		print "streaming\n" if $got >= 1000000 && $got - $n < 1000000;
	}
	$why = "stalled" if !$why && !($r && @$r) && !($w && @$w);
}
print "ended: $why; sent $sent, got back $got, $bad bytes wrong\n";
' "$1"
}

# shutdown_during_traffic - part 2.
shutdown_during_traffic() {
	local id guest client
	run_guest tcp-echo tcp-echo-sd 240 "extra=\"$SD_IP/24\"" \
		'vif=["bridge=xenbr0"]' &
	guest=$!
	if wait_console tcp-echo-sd 'tcp-echo: ready'; then
		id=$(xl domid tcp-echo-sd)
		endless_stream "$SD_IP" > "$OUT/stream.txt" 2>&1 &
		client=$!
		for _ in $(seq 120); do
			grep -q streaming "$OUT/stream.txt" && break
			sleep 0.5
		done
		xl shutdown tcp-echo-sd
		wait "$guest"
		vif_gone "$id" "$OUT/sd-vif-after.txt"
		wait "$client"
	else
		wait "$guest"
	fi
}

scenario_dom0() {
	local id guest
	bridge_up
	run_guest udp-echo udp-echo-nd 240 "extra=\"$ND_IP/24\"" \
		'vif=["bridge=xenbr0"]' &
	guest=$!
	if wait_console udp-echo-nd 'udp-echo: ready'; then
		id=$(xl domid udp-echo-nd)
		ping -c 3 -i 0.2 -W 3 "$ND_IP" > "$OUT/ping-before.txt" 2>&1
		timeout 90 xl network-detach udp-echo-nd 0 > "$OUT/detach.txt" 2>&1
		echo $? > "$OUT/detach.rc"
		vif_gone "$id" "$OUT/vif-after.txt"
		xl network-list udp-echo-nd > "$OUT/network-list.txt" 2>&1
		ping -c 2 -i 0.5 -W 1 "$ND_IP" > "$OUT/ping-after.txt" 2>&1
		sleep 2
		xl list udp-echo-nd > /dev/null 2>&1 && echo alive > "$OUT/alive.txt"
		xl shutdown udp-echo-nd
	fi
	wait "$guest"
	shutdown_during_traffic
}

scenario_judge() {
	grep -q ' 0% packet loss' "$OUT/ping-before.txt" 2>/dev/null ||
		judge_fail "expected the guest to answer pings before the detach, saw: $(grep -h 'packet loss' "$OUT/ping-before.txt" 2>/dev/null)"
	[ "$(cat "$OUT/detach.rc" 2>/dev/null)" = 0 ] ||
		judge_fail "expected xl network-detach to succeed, it exited $(cat "$OUT/detach.rc" 2>/dev/null || echo '(not run)'): $(cat "$OUT/detach.txt" 2>/dev/null)"
	[ "$(cat "$OUT/vif-after.txt" 2>/dev/null)" = gone ] ||
		judge_fail "dom0's vif device is still there after xl network-detach"
	[ "$(grep -c . "$OUT/network-list.txt" 2>/dev/null)" = 1 ] ||
		judge_fail "expected xl network-list to show no vif after the detach, saw: $(cat "$OUT/network-list.txt" 2>/dev/null)"
	grep -q ' 100% packet loss' "$OUT/ping-after.txt" 2>/dev/null ||
		judge_fail "expected no ping answer without the vif, saw: $(grep -h 'packet loss' "$OUT/ping-after.txt" 2>/dev/null)"
	expect_match udp-echo-nd '^minnow: device/vif/0: backend /local/domain/0/backend/vif/[0-9]+/0 went (Closing|Closed|Unknown); closing the device$'
	expect_line udp-echo-nd 'minnow: device/vif/0: closed at the backend'"'"'s request'
	[ "$(cat "$OUT/alive.txt" 2>/dev/null)" = alive ] ||
		judge_fail "expected the guest still running after the detach; $(seen udp-echo-nd)"
	expect_match udp-echo-nd '^udp-echo: stopped \(close 0\)'
	expect_no_match udp-echo-nd 'broken|Fatal|fault'
	expect_reason udp-echo-nd poweroff
	judge_shutdown
}

judge_shutdown() {
	grep -q '^streaming$' "$OUT/stream.txt" 2>/dev/null ||
		judge_fail "expected the stream to be flowing before xl shutdown, saw: $(cat "$OUT/stream.txt" 2>/dev/null)"
	grep -Eq '^ended: (eof|read: .*|write: .*); sent [0-9]+, got back [0-9]+, 0 bytes wrong$' "$OUT/stream.txt" 2>/dev/null ||
		judge_fail "expected dom0's stream to end (eof or an error, nothing wrong) when the guest shut down, saw: $(tail -n 1 "$OUT/stream.txt" 2>/dev/null)"
	expect_match tcp-echo-sd '^tcp-echo: stopped: 1 connections, [0-9]+ bytes echoed'
	expect_no_match tcp-echo-sd 'broken|Fatal|fault'
	expect_reason tcp-echo-sd poweroff
	[ "$(cat "$OUT/sd-vif-after.txt" 2>/dev/null)" = gone ] ||
		judge_fail "dom0's vif device is still there after xl shutdown during traffic"
}
