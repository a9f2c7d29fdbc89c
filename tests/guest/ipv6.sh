# ipv6: IPv6 next to IPv4 against the real netback. dom0 is fd00::1/64
# on xenbr0 and fd01::1 on lo, a destination off the guests' link
# (unique local prefixes: nothing leaves the testbed).
#
# 1. udp-echo with "10.0.0.21/24,fd00::21" and gateways
#    "10.0.0.1,fd00::1": ready once its static IPv6 address is past
#    duplicate detection. dom0 pings fd00::21 and the link-local address
#    made from the guest's MAC, echoes datagrams of 1, 64, 512 and 1452
#    bytes (1452 fills the 1500-byte MTU) and of 3000 bytes (IPv6
#    fragments both ways) over IPv6, then one over IPv4 to the same
#    dual-stack socket, then one from fd01::1 (dom0's, on lo: off the
#    guest's link, so the echo must go through the gateway); the
#    guest's drop counters (port 7008) must show no checksum or
#    malformed-frame drops.
# 2. tcp-echo with "fd00::22" alone (IPv6 without IPv4, so no DHCP): a
#    20 MiB stream over IPv6, each way at once, compared byte for byte.
#    Offload works for IPv6 as for IPv4: the guest's counters must show
#    merged (GSO) segments and blank checksums both ways.
# 3. tcp-echo with "10.0.0.23/24,fd00::21", an address udp-echo holds:
#    duplicate address detection refuses it with a console message; the
#    guest still comes up on IPv4.
# 4. udp-echo with no command line and xl's vif=['ip=10.0.0.24/24
#    fd00::24']: both addresses from the toolstack; an echo over IPv6;
#    none to fd01::1 (no gateway, no router: nowhere to send it). Then
#    tcp-echo with gateway fd02::1, off its link: net_init() refuses it
#    with a console message and the app stops.
# 5. httpd with "10.0.0.25/24,fd00::25": busybox wget fetches
#    index.html over IPv6 (compared with the source), then ab runs 500
#    requests over 20 keep-alive connections to [fd00::25] with no error.

V6_UDP=fd00::21
V6_TCP=fd00::22

# udp6_client HOST DIR SIZE... - the exchanges over IPv6 (or IPv4, as
# HOST says), from UDP6_FROM if set; a summary on stdout, payloads as
# DIR/sent-N.bin, echo-N.bin.
udp6_client() {
	perl -e '
use strict;
use warnings;
use IO::Select;
use IO::Socket::IP;

my ($host, $dir, @sizes) = @ARGV;
my @from = $ENV{UDP6_FROM} ? (LocalHost => $ENV{UDP6_FROM}) : ();
my $s = IO::Socket::IP->new(PeerHost => $host, PeerPort => 7,
                            Proto => "udp", @from) or die "socket: $!\n";
my $sel = IO::Select->new($s);
for my $n (@sizes) {
	my $data = join "", map { chr(($_ * 29 + $n) & 255) } 0 .. $n - 1;
	my ($echo, $try);
	for $try (1 .. 3) {
		defined $s->send($data) or die "send: $!\n";
		next unless $sel->can_read(2);
		last if defined $s->recv($echo, 65536);
	}
	open my $f, ">:raw", "$dir/sent-$n.bin" or die; print $f $data; close $f;
	if (defined $echo) {
		open $f, ">:raw", "$dir/echo-$n.bin" or die; print $f $echo; close $f;
	}
	printf "size %d: %s\n", $n, defined $echo ? length($echo) . " bytes back" : "no echo";
}
' "$@"
}

# udp6_line HOST PORT - one datagram to HOST:PORT, the answer on stdout.
udp6_line() {
	perl -e '
use strict;
use warnings;
use IO::Select;
use IO::Socket::IP;
my $s = IO::Socket::IP->new(PeerHost => $ARGV[0], PeerPort => $ARGV[1],
                            Proto => "udp") or die "socket: $!\n";
for (1 .. 3) {
	$s->send("stats") or die "send: $!\n";
	next unless IO::Select->new($s)->can_read(2);
	my $b;
	if (defined $s->recv($b, 4096)) { print "$b\n"; exit 0; }
}
print "no answer\n";
' "$1" "$2"
}

# link_local MAC - the EUI-64 link-local address of MAC (RFC 4291 2.5.1,
# RFC 5952 text). POSIX sh: dom0 runs scenarios with dash.
link_local() {
	set -- $(echo "$1" | tr ':' ' ')
	printf 'fe80::%x:%x:%x:%x' $(((0x$1 ^ 2) * 256 + 0x$2)) \
		$((0x$3 * 256 + 255)) $((0xfe00 + 0x$4)) $((0x$5 * 256 + 0x$6))
}

dual_guest() {
	local mac ll
	mkdir -p "$OUT/dual"
	run_guest udp-echo v6-udp 240 \
		"extra=\"10.0.0.21/24,$V6_UDP 10.0.0.1,fd00::1\"" \
		'vif=["bridge=xenbr0"]' &
	if wait_console v6-udp 'udp-echo: ipv6'; then
		ping -6 -c 3 -i 0.3 -W 3 "$V6_UDP" > "$OUT/ping6.txt" 2>&1
		mac=$(tr -d '\r' < /var/log/xen/console/guest-v6-udp.log |
			sed -n 's/^udp-echo: ready .* mac \([0-9a-f:]*\)$/\1/p')
		ll=$(link_local "$mac")
		echo "$ll" > "$OUT/link-local.txt"
		ping -6 -c 2 -i 0.3 -W 3 "$ll%xenbr0" > "$OUT/ping6-ll.txt" 2>&1
		udp6_client "$V6_UDP" "$OUT/dual" 1 64 512 1452 3000 \
			> "$OUT/dual/client.txt" 2>&1
		mkdir -p "$OUT/dual4"
		udp6_client 10.0.0.21 "$OUT/dual4" 64 > "$OUT/dual4/client.txt" 2>&1
		mkdir -p "$OUT/gw"
		UDP6_FROM=fd01::1 udp6_client "$V6_UDP" "$OUT/gw" 64 \
			> "$OUT/gw/client.txt" 2>&1
		udp6_line "$V6_UDP" 7008 > "$OUT/drops.txt" 2>&1
		dup_guest
		xl shutdown v6-udp
	fi
	wait
}

# dup_guest - a second guest that wants the first one's IPv6 address.
dup_guest() {
	run_guest tcp-echo v6-dup 120 "extra=\"10.0.0.23/24,$V6_UDP\"" \
		'vif=["bridge=xenbr0"]' &
	wait_console v6-dup 'tcp-echo: ipv6' && xl shutdown v6-dup
	wait $!
}

v6only_guest() {
	run_guest tcp-echo v6-tcp 240 "extra=\"$V6_TCP\"" \
		'vif=["bridge=xenbr0"]' &
	if wait_console v6-tcp 'tcp-echo: ipv6'; then
		head -c 20971520 /dev/urandom > "$OUT/stream.in"
		tcp_stream "$OUT/stream.in" "$OUT/stream.out" "$V6_TCP" \
			> "$OUT/stream.txt" 2>&1
		xl shutdown v6-tcp
	fi
	wait
}

toolstack_guest() {
	mkdir -p "$OUT/vifip"
	run_guest udp-echo v6-vifip 180 'extra=""' \
		'vif=["bridge=xenbr0,ip=10.0.0.24/24 fd00::24"]' &
	if wait_console v6-vifip 'udp-echo: ipv6'; then
		udp6_client fd00::24 "$OUT/vifip" 64 > "$OUT/vifip/client.txt" 2>&1
		mkdir -p "$OUT/nogw"
		UDP6_FROM=fd01::1 udp6_client fd00::24 "$OUT/nogw" 64 \
			> "$OUT/nogw/client.txt" 2>&1
		xl shutdown v6-vifip
	fi
	wait
	run_guest tcp-echo v6-badgw 120 \
		'extra="10.0.0.26/24,fd00::26 10.0.0.1,fd02::1"' \
		'vif=["bridge=xenbr0"]'
}

httpd_guest() {
	run_guest httpd v6-httpd 240 'extra="10.0.0.25/24,fd00::25"' \
		'vif=["bridge=xenbr0"]' &
	if wait_console v6-httpd 'httpd: ready'; then
		busybox wget -q -O "$OUT/index6.html" \
			'http://[fd00::25]/index.html' > "$OUT/wget6.txt" 2>&1
		timeout 120 ab -k -n 500 -c 20 'http://[fd00::25]/index.html' \
			> "$OUT/ab6.txt" 2>&1
		xl shutdown v6-httpd
	fi
	wait
}

scenario_dom0() {
	bridge_up
	ip -6 addr add fd00::1/64 dev xenbr0 nodad 2>/dev/null
	ip -6 addr add fd01::1/128 dev lo nodad 2>/dev/null	# off the link
	ip -6 neigh flush dev xenbr0
	dual_guest
	v6only_guest
	toolstack_guest
	httpd_guest
}

# echo_ok DIR N - the N-byte datagram came back intact.
echo_ok() {
	cmp -s "$OUT/$1/sent-$2.bin" "$OUT/$1/echo-$2.bin" ||
		judge_fail "the $2-byte datagram did not come back intact ($1): $(grep "^size $2:" "$OUT/$1/client.txt" 2>/dev/null || echo 'no client output')"
}

# ping_ok FILE WHAT - FILE shows a ping with no loss.
ping_ok() {
	grep -q ' 0% packet loss' "$OUT/$1" 2>/dev/null ||
		judge_fail "expected $2 with 0% loss, saw: $(tail -n 2 "$OUT/$1" 2>/dev/null | tr '\n' ' ')"
}

scenario_judge() {
	local n drops
	expect_match v6-udp '^udp-echo: ready 10\.0\.0\.21 ports 7 7007'
	expect_match v6-udp '^udp-echo: ipv6 fe80::[0-9a-f:]+ fd00::21$'
	ping_ok ping6.txt "ping -6 $V6_UDP"
	ping_ok ping6-ll.txt "ping -6 $(cat "$OUT/link-local.txt" 2>/dev/null)%xenbr0"
	for n in 1 64 512 1452 3000; do
		echo_ok dual "$n"
	done
	echo_ok dual4 64
	echo_ok gw 64
	drops=$(cat "$OUT/drops.txt" 2>/dev/null)
	[[ $drops =~ ^runt\ 0\ oversize\ 0\ other-type\ [0-9]+\ arp\ 0\ ip\ 0\ l4\ 0\ csum\ 0\  ]] ||
		judge_fail "expected no malformed or bad-checksum drops, saw: ${drops:-nothing}"
	expect_match v6-udp '^udp-echo: stopped \(close 0\): echoed [1-9]'
	expect_reason v6-udp poweroff
	expect_line v6-dup 'minnow: net: IPv6 address fd00::21 is in use on the link: not taken'
	expect_match v6-dup '^tcp-echo: ready 10\.0\.0\.23 port 7$'
	# Its link-local address may still be on trial: it came up as soon
	# as the duplicate was known.
	expect_match v6-dup '^tcp-echo: ipv6( fe80::[0-9a-f:]+)?$'
	expect_reason v6-dup poweroff
	expect_match v6-tcp '^tcp-echo: ready 0\.0\.0\.0 port 7$'
	expect_match v6-tcp '^tcp-echo: ipv6 fe80::[0-9a-f:]+ fd00::22$'
	cmp -s "$OUT/stream.in" "$OUT/stream.out" ||
		judge_fail "the 20 MiB IPv6 stream did not come back intact: got $(stat -c %s "$OUT/stream.out" 2>/dev/null || echo no) bytes; client: $(tr '\n' ' ' < "$OUT/stream.txt" 2>/dev/null)"
	expect_match v6-tcp '^tcp-echo: stopped: 1 connections, 20971520 bytes echoed, 0 errors'
	expect_match v6-tcp '^tcp-echo: net: mtu 1500, rx [0-9]+ frames \([1-9][0-9]* GSO\), [0-9]+ multi-slot, [1-9][0-9]* blank checksums taken, 0 bad checksums; tx [0-9]+ frames \([1-9][0-9]* GSO\), [0-9]+ multi-slot, [1-9][0-9]* checksums offloaded$'
	expect_reason v6-tcp poweroff
	expect_match v6-vifip '^udp-echo: ready 10\.0\.0\.24 ports 7'
	expect_match v6-vifip '^udp-echo: ipv6 fe80::[0-9a-f:]+ fd00::24$'
	echo_ok vifip 64
	grep -q '^size 64: no echo$' "$OUT/nogw/client.txt" 2>/dev/null ||
		judge_fail "expected no echo to fd01::1 from a guest without a gateway, saw: $(cat "$OUT/nogw/client.txt" 2>/dev/null || echo 'no client output')"
	expect_reason v6-vifip poweroff
	expect_match v6-badgw '^minnow: net: IPv6 gateway fd02::1 is not on the link \(it must be link-local or in a static address.s /64\)$'
	expect_match v6-badgw '^tcp-echo: network: Invalid argument$'
	expect_reason v6-badgw crash
	cmp -s "$OUT/index6.html" "$ROOT/examples/httpd/site/index.html" ||
		judge_fail "index.html fetched over IPv6 differs from the source: $(cat "$OUT/wget6.txt" 2>/dev/null)"
	grep -Eq '^Complete requests: +500$' "$OUT/ab6.txt" 2>/dev/null &&
		grep -Eq '^Failed requests: +0$' "$OUT/ab6.txt" 2>/dev/null ||
		judge_fail "expected ab's 500 requests over IPv6 complete with 0 failed, saw: $(grep -E '^(Complete|Failed|Non-2xx)' "$OUT/ab6.txt" 2>/dev/null | tr '\n' ' ')"
	expect_match v6-httpd '^httpd: stopped: [0-9]+ requests \(2xx [0-9]+, 4xx 0, 5xx 0\)'
	expect_reason v6-httpd poweroff
}
