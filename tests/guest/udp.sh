# udp: lwIP's UDP sockets against the real netback on bridge xenbr0.
#
# 1. udp-echo with a static address: dom0 pings it (lwIP answers ARP and
#    ICMP), sends datagrams of 1, 64, 512 and 1472 bytes (1472 fills the
#    1500-byte MTU) and 100 more of assorted sizes to port 7 (recvfrom/
#    sendto), then two sessions of 10 to port 7007 (read/write on a
#    connected socket, close() between sessions), and keeps what comes
#    back; the host compares it byte for byte. Then a burst of 500
#    datagrams (some may be dropped; the server must still answer).
#    `xl shutdown`: the guest prints its counters, closes the vif,
#    powers off.
# 2. udp-echo without an address: it gets one from busybox's udhcpd in
#    dom0 (DHCP), and echoes a datagram there.
# 3. udp-echo without an address on its command line but with xl's
#    vif=['ip=10.0.0.13/24']: it takes that address (no DHCP server is
#    running then) and echoes there; a guest whose vif ip= is malformed
#    says so and ends with status 2 instead of guessing.
#
# The client is perl (dom0 has perl-base; there is no python, and
# busybox's nc has no UDP mode).

UDP_GUEST_IP=10.0.0.3
UDP_GUEST_RE='10\.0\.0\.3'	# the same, as a regex


# udp_client HOST DIR [quick] - the exchanges; a summary on stdout, and
# each payload sent and echo received as DIR/sent-N.bin, DIR/echo-N.bin.
# quick: only the 64-byte datagram to port 7.
udp_client() {
	perl -e '
use strict;
use warnings;
use IO::Select;
use IO::Socket::INET;

my ($host, $dir, $quick) = @ARGV;
my %sent = (7 => 0, 7007 => 0);

# pattern(N, SEED): N bytes in which every byte value occurs.
sub pattern {
	my ($n, $seed) = @_;
	return join "", map { chr(($_ * 31 + $seed) & 255) } 0 .. $n - 1;
}

sub save {
	my ($path, $data) = @_;
	open my $f, ">:raw", $path or die "$path: $!\n";
	print $f $data;
	close $f;
}

sub udp_socket {
	my ($port) = @_;
	return IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port,
				     Proto => "udp") || die "socket: $!\n";
}

# exchange(SOCKET, PORT, DATA): (echo or undef, tries): send, wait 2 s
# for the answer, up to 3 times.
sub exchange {
	my ($s, $port, $data) = @_;
	my $sel = IO::Select->new($s);
	for my $try (1 .. 3) {
		defined $s->send($data) or die "send: $!\n";
		$sent{$port}++;
		next unless $sel->can_read(2);
		my $buf;
		return ($buf, $try) if defined $s->recv($buf, 65536);
	}
	return (undef, 3);
}

my $s = udp_socket(7);
for my $n ($quick ? (64) : (1, 64, 512, 1472)) {
	my $data = pattern($n, $n);
	save("$dir/sent-$n.bin", $data);
	my ($echo, $tries) = exchange($s, 7, $data);
	save("$dir/echo-$n.bin", $echo) if defined $echo;
	printf "size %d: %s, try %d\n", $n,
	    defined $echo ? length($echo) . " bytes back" : "no echo", $tries;
}
exit 0 if $quick;
my $ok = 0;
for my $i (1 .. 100) {
	my $data = pattern(1 + ($i * 37) % 1472, $i);
	my ($echo) = exchange($s, 7, $data);
	$ok++ if defined $echo && $echo eq $data;
}
print "sequence: $ok of 100 echoed intact\n";
# Port 7007: two sessions, each from a socket (a source port) of its own,
# each ended by an empty datagram.
for my $session (1, 2) {
	my $c = udp_socket(7007);
	$ok = 0;
	for my $i (1 .. 10) {
		my $data = pattern(140 * $i + $session, $i);
		my ($echo) = exchange($c, 7007, $data);
		$ok++ if defined $echo && $echo eq $data;
	}
	defined $c->send("") or die "send: $!\n";
	print "session $session: $ok of 10 echoed intact\n";
}
print "datagrams sent: port 7 $sent{7}, port 7007 $sent{7007}\n";
# A burst of 500 datagrams without waiting: UDP may drop some (queues
# are finite), but the echoes that come back are intact and the server
# still answers afterwards.
my $burst = pattern(1000, 7);
for (1 .. 500) {
	defined $s->send($burst) or die "send: $!\n";
	$sent{7}++;
}
my ($got, $bad, $sel) = (0, 0, IO::Select->new($s));
while ($sel->can_read(3)) {
	my $buf;
	last unless defined $s->recv($buf, 65536);
	$buf eq $burst ? $got++ : $bad++;
}
print "burst: $got of 500 echoed intact, $bad damaged\n";
my ($echo) = exchange($s, 7, "after the burst");
printf "after the burst: %s\n",
    defined $echo && $echo eq "after the burst" ? "echoed" : "no echo";
print "datagrams sent in all: port 7 $sent{7}\n";
' "$@"
}

# udhcpd_start - busybox's DHCP server on xenbr0 (10.0.0.100-150).
udhcpd_start() {
	printf '%s\n' 'start 10.0.0.100' 'end 10.0.0.150' 'interface xenbr0' \
		'lease_file /tmp/udhcpd.leases' 'option subnet 255.255.255.0' \
		'option router 10.0.0.1' > /tmp/udhcpd.conf
	: > /tmp/udhcpd.leases
	busybox udhcpd -f /tmp/udhcpd.conf > "$OUT/dhcp/udhcpd.log" 2>&1 &
	UDHCPD_PID=$!
}

# static_guest - udp-echo with a static address: the full exchange.
static_guest() {
	local id guest
	run_guest udp-echo udp-echo 180 "extra=\"$UDP_GUEST_IP/24\"" \
		'vif=["bridge=xenbr0"]' &
	guest=$!
	if wait_console udp-echo 'udp-echo: ready'; then
		id=$(xl domid udp-echo)
		ping -c 5 -i 0.2 -W 3 "$UDP_GUEST_IP" > "$OUT/ping.txt" 2>&1
		udp_client "$UDP_GUEST_IP" "$OUT" > "$OUT/client.txt" 2>&1
		xl shutdown udp-echo
		sleep 1
		vif_gone "$id" "$OUT/vif-after.txt"
	fi
	wait "$guest"
}

# dhcp_guest - udp-echo without an address: it asks udhcpd for one.
dhcp_guest() {
	local ip guest
	mkdir -p "$OUT/dhcp"
	udhcpd_start
	run_guest udp-echo udp-echo-dhcp 180 'extra=""' \
		'vif=["bridge=xenbr0"]' &
	guest=$!
	if wait_console udp-echo-dhcp 'udp-echo: ready'; then
		ip=$(tr -d '\r' < /var/log/xen/console/guest-udp-echo-dhcp.log |
			sed -n 's/^udp-echo: ready \([0-9.]*\) (dhcp).*/\1/p')
		udp_client "${ip:-0.0.0.0}" "$OUT/dhcp" quick \
			> "$OUT/dhcp/client.txt" 2>&1
		xl shutdown udp-echo-dhcp
	fi
	wait "$guest"
	kill "$UDHCPD_PID" 2>/dev/null
	cp /tmp/udhcpd.leases "$OUT/dhcp/leases" 2>/dev/null
}

# toolstack_guests - the address from xl's vif ip= (no DHCP server
# runs now), then a malformed one.
toolstack_guests() {
	local guest
	mkdir -p "$OUT/vifip"
	run_guest udp-echo udp-echo-vifip 180 'extra=""' \
		'vif=["bridge=xenbr0,ip=10.0.0.13/24"]' &
	guest=$!
	if wait_console udp-echo-vifip 'udp-echo: ready'; then
		udp_client 10.0.0.13 "$OUT/vifip" quick > "$OUT/vifip/client.txt" 2>&1
		xl shutdown udp-echo-vifip
	fi
	wait "$guest"
	run_guest udp-echo udp-echo-badip 120 'extra=""' \
		'vif=["bridge=xenbr0,ip=10.0.0.999"]'
}

scenario_dom0() {
	bridge_up
	ip neigh flush dev xenbr0
	static_guest
	dhcp_guest
	toolstack_guests
}

# client_line FILE REGEX - the client's summary FILE (under $OUT) has a
# line matching REGEX.
client_line() {
	grep -Eq -- "$2" "$OUT/$1" 2>/dev/null ||
		judge_fail "expected /$2/ in the client's summary $OUT/$1, saw: $(tr '\n' ';' < "$OUT/$1" 2>/dev/null)"
}

# echo_intact DIR N - the N-byte datagram came back unchanged.
echo_intact() {
	cmp -s "$OUT/$1/sent-$2.bin" "$OUT/$1/echo-$2.bin" ||
		judge_fail "the $2-byte datagram did not come back intact ($1): $(grep "^size $2:" "$OUT/$1/client.txt" 2>/dev/null || echo 'no client output')"
}

# port7_counts_ok - the guest echoed every port-7 datagram before the
# burst, every burst echo dom0 got and the one after, and no more than
# dom0 sent.
port7_counts_ok() {
	local c=$OUT/client.txt before got total echoed
	before=$(sed -n 's/^datagrams sent: port 7 \([0-9]*\),.*/\1/p' "$c" 2>/dev/null)
	got=$(sed -n 's/^burst: \([0-9]*\) of .*/\1/p' "$c" 2>/dev/null)
	total=$(sed -n 's/^datagrams sent in all: port 7 \([0-9]*\)$/\1/p' "$c" 2>/dev/null)
	echoed=$(console udp-echo | sed -n 's/.*(port 7: \([0-9]*\),.*/\1/p')
	[ -n "$before" ] && [ -n "$got" ] && [ -n "$total" ] && [ -n "$echoed" ] &&
		[ "$echoed" -ge $((before + got + 1)) ] && [ "$echoed" -le "$total" ] ||
		judge_fail "port 7: the guest echoed ${echoed:-?} datagrams; expected between ${before:-?} + ${got:-?} + 1 and ${total:-?} (dom0's count)"
}

judge_static() {
	local n sent7007
	expect_match udp-echo "^udp-echo: ready $UDP_GUEST_RE ports 7 7007 fd 16 mac 00:16:3e"
	grep -q ' 0% packet loss' "$OUT/ping.txt" 2>/dev/null ||
		judge_fail "expected 0% ping loss, saw: $(tail -n 2 "$OUT/ping.txt" 2>/dev/null | tr '\n' ' ')"
	for n in 1 64 512 1472; do
		echo_intact . "$n"
		client_line client.txt "^size $n: $n bytes back, try 1\$"
	done
	client_line client.txt '^sequence: 100 of 100 echoed intact$'
	client_line client.txt '^session 1: 10 of 10 echoed intact$'
	client_line client.txt '^session 2: 10 of 10 echoed intact$'
	sent7007=$(sed -n 's/^datagrams sent: .*port 7007 \([0-9]*\)$/\1/p' "$OUT/client.txt" 2>/dev/null)
	client_line client.txt '^burst: [1-9][0-9]* of 500 echoed intact, 0 damaged$'
	client_line client.txt '^after the burst: echoed$'
	expect_match udp-echo "^udp-echo: stopped \(close 0\): .*\(port 7: [0-9]+, port 7007: ${sent7007:-?} in 2 sessions\); errors recv 0 send 0; .* tx errors 0, bad responses 0\$"
	port7_counts_ok
	expect_no_match udp-echo '^udp-echo: (close|bind|connect|poll|socket)'
	expect_reason udp-echo poweroff
	[ "$(cat "$OUT/vif-after.txt" 2>/dev/null)" = gone ] ||
		judge_fail "dom0's vif device is still there after xl shutdown"
}

# dhcp_lease_released - udhcpd's lease file (an 8-byte time, then per
# lease: seconds left (4 bytes), address, MAC, hostname) names the
# guest, and shows its lease given back (0 s left): net_close() on
# `xl shutdown` sent DHCPRELEASE.
dhcp_lease_released() {
	local f=$OUT/dhcp/leases left
	grep -q 'udp-echo' "$f" 2>/dev/null ||
		judge_fail "expected the hostname udp-echo in udhcpd's lease file $f"
	left=$(od -A n -t u4 -j 8 -N 4 "$f" 2>/dev/null | tr -d ' ')
	[ "$left" = 0 ] ||
		judge_fail "expected the DHCP lease released (0 s left in $f), saw ${left:-no lease}"
}

judge_dhcp() {
	expect_match udp-echo-dhcp '^udp-echo: ready 10\.0\.0\.1([0-4][0-9]|50) \(dhcp\) ports 7 7007'
	echo_intact dhcp 64
	expect_match udp-echo-dhcp '^udp-echo: stopped \(close 0\): echoed [1-9]'
	expect_reason udp-echo-dhcp poweroff
	dhcp_lease_released
}

judge_toolstack() {
	expect_match udp-echo-vifip '^udp-echo: ready 10\.0\.0\.13 ports 7 7007'
	echo_intact vifip 64
	expect_reason udp-echo-vifip poweroff
	expect_match udp-echo-badip 'vif ip= from the toolstack is unusable \(not a list of addresses\)'
	expect_match udp-echo-badip '^udp-echo: net_init: Invalid argument'
	expect_reason udp-echo-badip crash
}

scenario_judge() {
	judge_static
	judge_dhcp
	judge_toolstack
}
