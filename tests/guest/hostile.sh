# hostile: dom0 writes malformed Ethernet frames straight into the
# guest's vif (a perl AF_PACKET socket on vifN.0) and checks, class by
# class, that udp-echo drops and counts them (its port 7008 reports the
# counters of frames dropped before lwIP) and still echoes a normal
# datagram right after. Classes: IP packets shorter than their header,
# an oversized frame (the vif's MTU raised to 9000 in dom0 while the
# guest negotiated 1500), a foreign ethertype, ARP with a wrong hardware
# length, IPv4 headers with IHL 4, IHL past the frame, total length past
# the frame and under the header, a wrong header checksum, version 6;
# UDP length 7 and past the packet, a cut UDP header, TCP data offset 4
# and past the segment; for IPv6: a cut header, a payload length past
# the frame, hop-by-hop options not first, an options header past the
# payload, UDP length 7, TCP data offset past the segment, UDP checksums
# of 0 (which IPv6 forbids) and wrong, a TCP fragment (its checksum
# cannot be checked). A UDP length shorter than its packet is trimmed:
# the echo carries only the datagram's bytes. Then overlapping IP
# fragments and 1000 random frames: the guest survives and still echoes,
# and on `xl shutdown` powers off cleanly.

HOSTILE_IP=10.0.0.51

# hostile_client VIF GUEST_MAC - the classes; one line per class.
hostile_client() {
	perl -e '
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
my ($vif, $gmac_s, $gip_s) = @ARGV;
open(my $fh, "<", "/sys/class/net/$vif/ifindex") or die "ifindex: $!\n";
my $ifindex = <$fh>; chomp $ifindex; close $fh;
open($fh, "<", "/sys/class/net/xenbr0/address") or die "mac: $!\n";
my $smac_s = <$fh>; chomp $smac_s; close $fh;
my $gmac = pack("H12", join("", split /:/, $gmac_s));
my $smac = pack("H12", join("", split /:/, $smac_s));
my $src = pack("C4", 10, 0, 0, 1);
my $dst = pack("C4", split /\./, $gip_s);
socket(my $raw, 17, 3, 0) or die "AF_PACKET: $!\n";
my $to = pack("S n i S C C a8", 17, 0, $ifindex, 0, 0, 6, $gmac);
my $udp = IO::Socket::INET->new(Proto => "udp", LocalPort => 40777)
    or die "udp: $!\n";
my $sel = IO::Select->new($udp);
sub sum16 { my $s = 0; $s += $_ for unpack("n*", $_[0] . (length($_[0]) % 2 ? "\0" : ""));
            $s = ($s & 0xffff) + ($s >> 16) while $s >> 16; return ~$s & 0xffff }
sub ipv4 {   # proto, l4 bytes, [ihl words, total override, frag]
	my ($proto, $l4, $ihl, $tot, $frag) = @_;
	$ihl //= 5; $tot //= 4 * $ihl + length($l4); $frag //= 0;
	my $h = pack("CCnnnCCn", 0x40 | $ihl, 0, $tot, 7, $frag, 64, $proto, 0)
	    . $src . $dst . ("\0" x (4 * $ihl - 20));
	substr($h, 10, 2) = pack("n", sum16($h)) if $ihl >= 5;
	return $h . $l4;
}
sub eth { my ($type, $payload) = @_; return $gmac . $smac . pack("n", $type) . $payload }
sub send_frame { send($raw, $_[0], 0, $to) or die "send: $!\n" }
sub ask { my ($port, $msg, $want) = @_;
	for my $try (1 .. 3) {
		$udp->send($msg, 0, pack_sockaddr_in($port, $dst)) or die "sendto: $!\n";
		my $buf;
		if ($sel->can_read(2) && defined $udp->recv($buf, 65536)) { return $buf }
	}
	return undef;
}
sub counters { my $l = ask(7008, "?") // ""; my %c = ($l =~ /([a-z0-9-]+) (\d+)/g); return \%c }
sub echo_ok { my $m = "alive " . $_[0]; my $e = ask(7, $m); return defined $e && $e eq $m ? "echo ok" : "no echo" }
sub class { my ($name, $counter, $n, $frame) = @_;
	my $before = counters();
	send_frame($frame) for 1 .. $n;
	select(undef, undef, undef, 0.5);
	my $after = counters();
	my $d = ($after->{$counter} // -1) - ($before->{$counter} // 0);
	printf "class %s: sent %d, %s +%d, %s\n", $name, $n, $counter, $d, echo_ok($name);
}
$| = 1;
my $u8 = sub { my ($len, $ulen, $data) = @_; pack("nnnn", 40777, 7, $ulen, 0) . $data };
class("short-ip", "runt", 20, eth(0x0800, "\x45\0\0\x14\0\0"));
class("ethertype", "other-type", 20, eth(0x88b5, "x" x 46));
class("arp-hlen", "arp", 20, eth(0x0806, pack("nnCCn", 1, 0x0800, 8, 4, 1) . ("\0" x 32)));
my $ok_udp = $u8->(0, 12, "ping");
my $ip = ipv4(17, $ok_udp); substr($ip, 0, 1) = "\x44";
class("ihl-4", "ip", 20, eth(0x0800, $ip));
$ip = ipv4(17, $ok_udp); substr($ip, 0, 1) = "\x4f";
class("ihl-past-frame", "ip", 20, eth(0x0800, $ip));
class("total-past-frame", "ip", 20, eth(0x0800, ipv4(17, $ok_udp, 5, 400)));
class("total-under-header", "ip", 20, eth(0x0800, ipv4(17, $ok_udp, 5, 12)));
$ip = ipv4(17, $ok_udp); substr($ip, 10, 1) = chr(ord(substr($ip, 10, 1)) ^ 0x55);
class("header-checksum", "ip", 20, eth(0x0800, $ip));
$ip = ipv4(17, $ok_udp); substr($ip, 0, 1) = "\x65"; substr($ip, 10, 2) = "\0\0";
substr($ip, 10, 2) = pack("n", sum16(substr($ip, 0, 20)));
class("version-6", "ip", 20, eth(0x0800, $ip));
class("udp-length-7", "l4", 20, eth(0x0800, ipv4(17, $u8->(0, 7, "ping"))));
class("udp-length-long", "l4", 20, eth(0x0800, ipv4(17, $u8->(0, 100, "ping"))));
class("udp-header-cut", "l4", 20, eth(0x0800, ipv4(17, pack("nn", 40777, 7))));
class("tcp-offset-4", "l4", 20, eth(0x0800, ipv4(6, pack("nnNNCCnnn", 40777, 7, 1, 0, 0x40, 2, 8192, 0, 0))));
class("tcp-offset-past", "l4", 20, eth(0x0800, ipv4(6, pack("nnNNCCnnn", 40777, 7, 1, 0, 0xf0, 2, 8192, 0, 0))));
# IPv6: the same checks, and checksums IPv6 makes mandatory.
my @gm = unpack("C6", $gmac); $gm[0] ^= 2;
my $src6 = pack("H32", "fe800000000000000000000000000001");
my $dst6 = pack("H16C8", "fe80000000000000", @gm[0 .. 2], 0xff, 0xfe, @gm[3 .. 5]);
sub ipv6 { my ($nh, $payload, $plen) = @_; $plen //= length($payload);
	return pack("NnCC", 0x60000000, $plen, $nh, 64) . $src6 . $dst6 . $payload }
# opt6 NH WORDS: an 8-byte options header that claims (WORDS + 1) * 8.
sub opt6 { my ($nh, $words) = @_; return pack("CCCC", $nh, $words, 1, 4) . "\0" x 4 }
class("ip6-short", "runt", 20, eth(0x86dd, "\x60" . "\0" x 30));
class("ip6-payload-past", "ip", 20, eth(0x86dd, ipv6(17, $ok_udp, 400)));
class("ip6-hop-not-first", "ip", 20, eth(0x86dd, ipv6(60, opt6(0, 0) . opt6(17, 0) . $ok_udp)));
class("ip6-option-past", "ip", 20, eth(0x86dd, ipv6(60, opt6(17, 9) . $ok_udp)));
class("udp6-length-7", "l4", 20, eth(0x86dd, ipv6(17, $u8->(0, 7, "ping"))));
class("tcp6-offset-past", "l4", 20, eth(0x86dd, ipv6(6, pack("nnNNCCnnn", 40777, 7, 1, 0, 0xf0, 2, 8192, 0, 0))));
class("udp6-checksum-0", "csum", 20, eth(0x86dd, ipv6(17, $ok_udp)));
my $bad = $ok_udp; substr($bad, 6, 2) = pack("n", 0x1234);
class("udp6-checksum-wrong", "csum", 20, eth(0x86dd, ipv6(17, $bad)));
class("tcp6-fragment", "csum", 20, eth(0x86dd, ipv6(44, pack("CCnN", 6, 0, 1, 99) . ("t" x 40))));
# oversize: the vif takes 9000-byte frames now; the guest said 1500.
system("ip", "link", "set", $vif, "mtu", "9000");
class("oversize", "oversize", 10, eth(0x0800, ipv4(17, $u8->(0, 2508, "o" x 2500))));
system("ip", "link", "set", $vif, "mtu", "1500");
# A UDP length under the packet: only the datagram is echoed.
send_frame(eth(0x0800, ipv4(17, $u8->(0, 8 + 4, "TRIMtrailing-bytes"))));
my $got;
$got = $sel->can_read(3) && defined $udp->recv($got, 65536) ? $got : "(nothing)";
print "trim: echoed \"$got\"\n";
# Overlapping fragments of one datagram, twice over, then a lone one.
for my $k (1 .. 20) {
	my $body = $u8->(0, 8 + 64, "F" x 64);
	send_frame(eth(0x0800, ipv4(17, substr($body, 0, 48), 5, undef, 0x2000)));
	send_frame(eth(0x0800, ipv4(17, substr($body, 16, 56), 5, undef, 2)));
	send_frame(eth(0x0800, ipv4(17, "Z" x 40, 5, undef, 0x2000 | 1)));
}
print "fragments: ", echo_ok("fragments"), "\n";
srand(42);
for (1 .. 1000) {
	my $len = 14 + int(rand(600));
	my $f = $gmac . join("", map { chr(int(rand(256))) } 1 .. $len - 6);
	substr($f, 12, 2) = pack("n", (0x0800, 0x0806, 0x86dd)[int(rand(3))]) if rand() < 0.8;
	send_frame($f);
}
select(undef, undef, undef, 1);
print "random: ", echo_ok("random"), "\n";
my $c = counters();
print "final: ", join(" ", map { "$_ $c->{$_}" } sort keys %$c), "\n";
' "$1" "$2" "$HOSTILE_IP"
}

scenario_dom0() {
	local guest id mac
	bridge_up
	run_guest udp-echo hostile-echo 300 "extra=\"$HOSTILE_IP/24\"" \
		'vif=["bridge=xenbr0"]' &
	guest=$!
	if wait_console hostile-echo 'udp-echo: ready'; then
		id=$(xl domid hostile-echo)
		mac=$(tr -d '\r' < /var/log/xen/console/guest-hostile-echo.log |
			sed -n 's/^udp-echo: ready .* mac \([0-9a-f:]*\).*/\1/p')
		ping -c 2 -W 2 "$HOSTILE_IP" > /dev/null 2>&1
		hostile_client "vif$id.0" "$mac" > "$OUT/classes.txt" 2>&1
		xl shutdown hostile-echo
	fi
	wait "$guest"
}

scenario_judge() {
	local c=$OUT/classes.txt line name n d want
	[ -s "$c" ] || judge_fail "the hostile client printed nothing"
	for name in short-ip ethertype arp-hlen ihl-4 ihl-past-frame \
		total-past-frame total-under-header header-checksum version-6 \
		udp-length-7 udp-length-long udp-header-cut tcp-offset-4 \
		tcp-offset-past ip6-short ip6-payload-past ip6-hop-not-first \
		ip6-option-past udp6-length-7 tcp6-offset-past udp6-checksum-0 \
		udp6-checksum-wrong tcp6-fragment oversize; do
		line=$(grep "^class $name: " "$c" 2>/dev/null)
		n=$(echo "$line" | sed -n 's/.*sent \([0-9]*\),.*/\1/p')
		d=$(echo "$line" | sed -n 's/.* +\(-*[0-9]*\),.*/\1/p')
		want="class $name: sent $n, <its counter> +$n (other-type: at least), echo ok"
		if [ "$name" = ethertype ]; then
			[ -n "$n" ] && [ "${d:--1}" -ge "$n" ] && [[ $line == *"echo ok" ]] ||
				judge_fail "expected '$want', saw '$line'"
		else
			[ -n "$n" ] && [ "$d" = "$n" ] && [[ $line == *"echo ok" ]] ||
				judge_fail "expected '$want', saw '${line:-nothing}'"
		fi
	done
	grep -qx 'trim: echoed "TRIM"' "$c" ||
		judge_fail "expected a UDP datagram shorter than its packet echoed as its 4 bytes, saw: $(grep '^trim' "$c")"
	grep -qx 'fragments: echo ok' "$c" ||
		judge_fail "expected an echo after hostile fragments, saw: $(grep '^fragments' "$c")"
	grep -qx 'random: echo ok' "$c" ||
		judge_fail "expected an echo after 1000 random frames, saw: $(grep '^random' "$c")"
	expect_match hostile-echo '^udp-echo: receive drops: runt [1-9]'
	expect_no_match hostile-echo 'Fatal|fault|broken|assertion'
	expect_reason hostile-echo poweroff
}
