# offload: jumbo frames and checksum offload against the real netback.
# xenbr0 goes to MTU 9000 before the guest starts (the vif hotplug script
# then writes the guest's xenstore `mtu` key), and the vif follows once
# the guest has connected with scatter-gather (netback refuses an MTU
# over 1500 before). dom0 pings tcp-echo with 8000-byte packets that
# must not be fragmented, then streams 8 MiB through it: dom0's frames
# arrive in several ring slots with blank checksums (dom0's own checksum
# offload), the guest's go out in several slots with checksums left to
# netback; dom0 compares every byte. Then hand-made TCP and UDP packets
# from a raw socket (fully checksummed by dom0, so the guest checks them
# itself): the 5 with a wrong checksum must be dropped and counted, the
# 4 right ones not. The guest's counters must show all of that. Then a guest gets an MTU it must refuse (9216), and xenbr0's
# MTU goes back to 1500.

OFFLOAD_IP=10.0.0.12

# raw_probes HOST - from dom0, send HOST TCP SYNs and UDP datagrams built
# by hand on a raw socket (so Linux sends them fully checksummed, not
# blank): 2 of each with a right TCP/UDP checksum, 3 TCP and 2 UDP with
# a wrong one. Prints what it sent.
raw_probes() {
	perl -e '
use strict;
use warnings;
use Socket;

my $dst = inet_aton($ARGV[0]);
my $src = inet_aton("10.0.0.1");
socket(my $s, PF_INET, SOCK_RAW, 255) or die "raw socket: $!\n";

sub csum {
    my $sum = 0;
    $sum += $_ for unpack("n*", $_[0] . (length($_[0]) % 2 ? "\0" : ""));
    $sum = ($sum & 0xffff) + ($sum >> 16) while $sum >> 16;
    return ~$sum & 0xffff;
}

# probe PROTO GOOD N: one packet, its L4 checksum right or off by one.
sub probe {
    my ($proto, $good, $n) = @_;
    my $l4 = $proto == 6 ?
        pack("nnNNnnnn", 40000 + $n, 7, 1000 + $n, 0, 0x5002, 8192, 0, 0) :
        pack("nnnn", 40000 + $n, 9, 8 + 4, 0) . "mnnw";
    my $at = $proto == 6 ? 16 : 6;
    my $c = csum($src . $dst . pack("CCn", 0, $proto, length($l4)) . $l4);
    $c = $c == 0 && $proto == 17 ? 0xffff : $c;
    $c = ($c + 1) & 0xffff || 1 unless $good;
    substr($l4, $at, 2) = pack("n", $c);
    my $ip = pack("CCnnnCCn", 0x45, 0, 20 + length($l4), $n, 0x4000, 64,
                  $proto, 0) . $src . $dst;
    send($s, $ip . $l4, 0, pack_sockaddr_in(0, $dst)) or die "send: $!\n";
    print(($proto == 6 ? "tcp" : "udp"), " ", ($good ? "good" : "bad"), "\n");
}

my $n = 0;
probe(6, 1, $n++) for 1 .. 2;
probe(17, 1, $n++) for 1 .. 2;
probe(6, 0, $n++) for 1 .. 3;
probe(17, 0, $n++) for 1 .. 2;
' "$1"
}

# jumbo_run - the 9000-byte part, with tcp-echo as guest "jumbo".
jumbo_run() {
	local id
	run_guest tcp-echo jumbo 300 "extra=\"$OFFLOAD_IP/24\"" \
		'vif=["bridge=xenbr0"]' &
	if wait_console jumbo 'tcp-echo: ready'; then
		id=$(xl domid jumbo)
		xenstore-read "/local/domain/$id/device/vif/0/mtu" > "$OUT/xs-mtu.txt"
		ip link set "vif$id.0" mtu 9000 > "$OUT/vif-mtu.txt" 2>&1
		cat "/sys/class/net/vif$id.0/mtu" >> "$OUT/vif-mtu.txt"
		ping -c 5 -i 0.2 -W 3 -M do -s 8000 "$OFFLOAD_IP" \
			> "$OUT/ping-jumbo.txt" 2>&1
		head -c 8388608 /dev/urandom > "$OUT/jumbo.in"
		tcp_stream "$OUT/jumbo.in" "$OUT/jumbo.out" "$OFFLOAD_IP" \
			> "$OUT/stream.txt" 2>&1
		raw_probes "$OFFLOAD_IP" > "$OUT/raw.txt" 2>&1
		sleep 1
		xl shutdown jumbo
	fi
	wait
}

scenario_dom0() {
	bridge_up
	ip link set xenbr0 mtu 9000
	jumbo_run
	ip link set xenbr0 mtu 9216
	run_guest nettest badmtu 120 'extra="10.0.0.13"' 'vif=["bridge=xenbr0"]' &
	wait_console badmtu 'nettest: ready' && xl shutdown badmtu
	wait
	ip link set xenbr0 mtu 1500
	cat /sys/class/net/xenbr0/mtu > "$OUT/mtu-after.txt"
}

scenario_judge() {
	local counters
	expect_line jumbo "tcp-echo: ready $OFFLOAD_IP port 7"
	[ "$(cat "$OUT/xs-mtu.txt" 2>/dev/null)" = 9000 ] ||
		judge_fail "expected the guest's xenstore mtu key 9000, saw '$(cat "$OUT/xs-mtu.txt" 2>/dev/null)'"
	[ "$(tail -n 1 "$OUT/vif-mtu.txt" 2>/dev/null)" = 9000 ] ||
		judge_fail "expected dom0's vif at MTU 9000, saw: $(tr '\n' ' ' < "$OUT/vif-mtu.txt" 2>/dev/null)"
	grep -q ' 0% packet loss' "$OUT/ping-jumbo.txt" 2>/dev/null ||
		judge_fail "expected 0% loss pinging with 8000 bytes, saw: $(tail -n 2 "$OUT/ping-jumbo.txt" 2>/dev/null | tr '\n' ' ')"
	cmp -s "$OUT/jumbo.in" "$OUT/jumbo.out" ||
		judge_fail "the 8 MiB echo at MTU 9000 differs: got $(stat -c %s "$OUT/jumbo.out" 2>/dev/null || echo no) bytes back; $(head -c 300 "$OUT/stream.txt" 2>/dev/null)"
	[ "$(grep -c '^\(tcp\|udp\) \(good\|bad\)$' "$OUT/raw.txt" 2>/dev/null)" = 9 ] ||
		judge_fail "dom0 did not send its 9 raw packets: $(head -c 300 "$OUT/raw.txt" 2>/dev/null)"
	expect_match jumbo '^tcp-echo: stopped: 1 connections, 8388608 bytes echoed, 0 errors$'
	counters='^tcp-echo: net: mtu 9000, rx [0-9]+ frames \([0-9]+ GSO\), [1-9][0-9]* multi-slot, [1-9][0-9]* blank checksums taken, 5 bad checksums; tx [0-9]+ frames \([0-9]+ GSO\), [1-9][0-9]* multi-slot, [1-9][0-9]* checksums offloaded$'
	expect_match jumbo "$counters"
	expect_reason jumbo poweroff
	expect_match badmtu '^minnow: netfront 0: MTU 9216 refused'
	expect_match badmtu '^nettest: ready 10\.0\.0\.13'
	expect_reason badmtu poweroff
	[ "$(cat "$OUT/mtu-after.txt" 2>/dev/null)" = 1500 ] ||
		judge_fail "xenbr0's MTU was not put back to 1500"
}
