# l2fwd: a Minnow guest as a network function between two dom0 bridges.
# dom0 makes a second bridge, xenbr1, with no address and nothing else
# on it but udp-echo (10.0.0.21); the only way from dom0 (10.0.0.1 on
# xenbr0) to it is the l2fwd guest, which has a vif on each bridge and
# switches frames between them with netfront's packet API (two vifs in
# one guest). Without l2fwd dom0 cannot reach udp-echo (checked before
# and after); with it, pings of 56 and 1472 bytes and 200 UDP datagrams
# of assorted sizes come back intact. On `xl shutdown` l2fwd reports
# per-port counters and the stations it learned: dom0's bridge on port
# 0, udp-echo on port 1.
#
# Every netback vif in dom0 has the address fe:ff:ff:ff:ff:ff, and a
# Linux bridge takes its address from its ports and treats each port's
# address as its own: dom0's frames through xenbr0 would carry
# fe:ff:ff:ff:ff:ff, which xenbr1 drops as "own address as source" and
# keeps replies to it for itself. So xenbr0 gets an address of its own
# here (and back after), as a real deployment of a bridging guest must.

L2_ECHO_IP=10.0.0.21

# l2_udp HOST - 200 datagrams of 1-1472 bytes to HOST's port 7, each
# waited for (1 s, 3 tries); prints "udp: N of 200 echoed intact". Gives
# up after 5 datagrams in a row get no echo at all.
l2_udp() {
	perl -e '
use strict;
use warnings;
use IO::Select;
use IO::Socket::INET;
my $s = IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort => 7,
    Proto => "udp") or die "socket: $!\n";
my $sel = IO::Select->new($s);
my ($ok, $lost) = (0, 0);
for my $i (1 .. 200) {
	last if $lost >= 5;
	my $len = 1 + ($i * 97) % 1472;
	my $msg = join("", map { chr(($i + $_ * 7) % 256) } 0 .. $len - 1);
	my $got = 0;
	for my $try (1 .. 3) {
		defined $s->send($msg) or die "send: $!\n";
		my $buf;
		if ($sel->can_read(1) && defined $s->recv($buf, 65536)) {
			$ok++ if $buf eq $msg;
			$got = 1;
			last;
		}
	}
	$lost = $got ? 0 : $lost + 1;
}
print "udp: $ok of 200 echoed intact\n";
' "$1"
}

scenario_dom0() {
	local echo_pid fwd_pid
	bridge_up
	ip link add xenbr1 type bridge
	ip link set xenbr1 up
	ip link set xenbr0 address 02:00:00:00:00:01
	cat /sys/class/net/xenbr0/address > "$OUT/dom0-mac.txt"
	run_guest udp-echo l2-echo 300 "extra=\"$L2_ECHO_IP/24\"" \
		'vif=["bridge=xenbr1"]' &
	echo_pid=$!
	if wait_console l2-echo 'udp-echo: ready'; then
		ip neigh flush dev xenbr0
		ping -c 2 -i 0.5 -W 1 "$L2_ECHO_IP" > "$OUT/ping-before.txt" 2>&1
		run_guest l2fwd l2fwd 240 &
		fwd_pid=$!
		if wait_console l2fwd 'l2fwd: forwarding'; then
			ip neigh flush dev xenbr0
			ping -c 10 -i 0.2 -W 3 "$L2_ECHO_IP" > "$OUT/ping.txt" 2>&1
			ping -c 5 -i 0.2 -W 3 -s 1472 "$L2_ECHO_IP" \
				> "$OUT/ping-big.txt" 2>&1
			l2_udp "$L2_ECHO_IP" > "$OUT/udp.txt" 2>&1
			{ ls /sys/class/net/xenbr0/brif /sys/class/net/xenbr1/brif
			  ip -s link; } > "$OUT/links.txt" 2>&1
			xl shutdown l2fwd
		fi
		wait "$fwd_pid"
		ip neigh flush dev xenbr0
		ping -c 2 -i 0.5 -W 1 "$L2_ECHO_IP" > "$OUT/ping-after.txt" 2>&1
		xl shutdown l2-echo
	fi
	wait "$echo_pid"
	ip link set xenbr1 down
	ip link del xenbr1
	ip link set xenbr0 address fe:ff:ff:ff:ff:ff
}

# ping_loss FILE PERCENT - ping's summary in FILE says PERCENT% loss.
ping_loss() {
	grep -q " $2% packet loss" "$OUT/$1" 2>/dev/null ||
		judge_fail "expected $2% packet loss in $1, saw: $(grep -h 'packet loss' "$OUT/$1" 2>/dev/null || echo 'no ping summary')"
}

scenario_judge() {
	local dom0_mac echo_mac
	dom0_mac=$(cat "$OUT/dom0-mac.txt" 2>/dev/null)
	echo_mac=$(console l2-echo | sed -n 's/^udp-echo: ready .* mac \([0-9a-f:]*\).*/\1/p')
	ping_loss ping-before.txt 100
	expect_line l2fwd 'l2fwd: forwarding between 2 ports'
	expect_match l2fwd '^l2fwd: port 0 is vif 0 \(mac 00:16:3e'
	expect_match l2fwd '^l2fwd: port 1 is vif 1 \(mac 00:16:3e'
	ping_loss ping.txt 0
	ping_loss ping-big.txt 0
	grep -q '^udp: 200 of 200 echoed intact$' "$OUT/udp.txt" 2>/dev/null ||
		judge_fail "expected all 200 datagrams echoed intact through l2fwd, saw: $(cat "$OUT/udp.txt" 2>/dev/null)"
	expect_line l2fwd 'l2fwd: stopped (close 0)'
	expect_match l2fwd '^l2fwd: port 0 \(vif 0\): rx [0-9]{3,} tx [0-9]{3,} .* bad checksums 0 tx errors 0$'
	expect_match l2fwd '^l2fwd: port 1 \(vif 1\): rx [0-9]{3,} tx [0-9]{3,} .* bad checksums 0 tx errors 0$'
	[ -n "$dom0_mac" ] && expect_line l2fwd "l2fwd: station $dom0_mac on port 0"
	[ -n "$echo_mac" ] && expect_line l2fwd "l2fwd: station $echo_mac on port 1"
	[ -n "$dom0_mac" ] && [ -n "$echo_mac" ] ||
		judge_fail "could not read dom0's bridge MAC ($dom0_mac) or udp-echo's ($echo_mac)"
	expect_reason l2fwd poweroff
	ping_loss ping-after.txt 100
	expect_reason l2-echo poweroff
}
