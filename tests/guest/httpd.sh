# httpd: the static web server example against dom0's clients. dom0
# fetches every compiled-in file with busybox wget (the host compares
# them byte for byte with examples/httpd/site/), a missing page, HEAD,
# and hand-made bad requests (perl: status line and close checked);
# /stats parses; then Apache's `ab` runs 10,000 requests over 100
# concurrent connections, without and with keep-alive, and `wrk` runs
# 5 s over 100 connections: no failed request, no non-2xx. Then `xl
# shutdown`: the guest reports what it served and powers off.

HTTPD_IP=10.0.0.41

# raw_request TEXT - send TEXT (perl escapes allowed) to port 80 and
# print the status line and whether the server closed the connection.
raw_request() {
	perl -e '
use strict;
use warnings;
use IO::Socket::INET;
my $s = IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort => 80,
    Proto => "tcp", Timeout => 10) or die "connect: $!\n";
my $req = eval qq("$ARGV[1]");
print $s $req;
local $SIG{ALRM} = sub { print "timeout\n"; exit 0 };
alarm 20;
my $all = "";
while (sysread($s, my $buf, 65536)) { $all .= $buf }
my ($line) = split /\r\n/, $all;
print(($line // "nothing"), " | closed\n");
' "$HTTPD_IP" "$1"
}

scenario_dom0() {
	local guest f
	bridge_up
	run_guest httpd httpd 900 "extra=\"$HTTPD_IP/24\"" &
	guest=$!
	if wait_console httpd 'httpd: ready'; then
		mkdir -p "$OUT/got"
		for f in index.html style.css lines.txt; do
			busybox wget -q -O "$OUT/got/$f" "http://$HTTPD_IP/$f" \
				> "$OUT/got/$f.log" 2>&1
		done
		busybox wget -q -O "$OUT/got/root.html" "http://$HTTPD_IP/" 2>/dev/null
		busybox wget -q -O "$OUT/got/missing" "http://$HTTPD_IP/nope.html" \
			> "$OUT/got/missing.log" 2>&1
		{
			raw_request 'HEAD /index.html HTTP/1.0\r\n\r\n'
			raw_request 'BREW /pot HTTP/1.1\r\n\r\n'
			raw_request 'GET /../x HTTP/1.1\r\n\r\n'
			raw_request 'GET / HTTP/9.9\r\n\r\n'
			raw_request 'GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc'
			raw_request 'GET /index.html HTTP/1.1\r\n\r\nGET /style.css HTTP/1.1\r\nConnection: close\r\n\r\n'
		} > "$OUT/raw.txt" 2>&1
		timeout 400 ab -n 10000 -c 100 "http://$HTTPD_IP/index.html" \
			> "$OUT/ab.txt" 2>&1
		timeout 400 ab -k -n 10000 -c 100 "http://$HTTPD_IP/index.html" \
			> "$OUT/ab-k.txt" 2>&1
		timeout 60 wrk -t2 -c100 -d5s "http://$HTTPD_IP:80/index.html" \
			> "$OUT/wrk.txt" 2>&1
		busybox wget -q -O "$OUT/stats.txt" "http://$HTTPD_IP/stats" 2>/dev/null
		xl shutdown httpd
	fi
	wait "$guest"
}

# ab_clean FILE - ab finished 10000 requests, none failed, all 2xx.
ab_clean() {
	local f=$OUT/$1
	grep -Eq '^Complete requests: +10000$' "$f" 2>/dev/null &&
		grep -Eq '^Failed requests: +0$' "$f" &&
		! grep -q '^Non-2xx responses' "$f" ||
		judge_fail "expected ab ($1) to complete 10000 requests with 0 failed and no non-2xx, saw: $(grep -E 'Complete|Failed|Non-2xx|apr_|Total of' "$f" 2>/dev/null | tr '\n' ';')"
}

scenario_judge() {
	local site=$ROOT/examples/httpd/site f
	expect_match httpd "^httpd: ready $HTTPD_IP port 80, 3 files\$"
	for f in index.html style.css lines.txt; do
		cmp -s "$site/$f" "$OUT/got/$f" ||
			judge_fail "/$f came back different from $site/$f ($(wc -c < "$OUT/got/$f" 2>/dev/null) bytes): $(cat "$OUT/got/$f.log" 2>/dev/null)"
	done
	cmp -s "$site/index.html" "$OUT/got/root.html" || judge_fail "/ is not index.html"
	grep -q '404' "$OUT/got/missing.log" 2>/dev/null ||
		judge_fail "expected wget to report 404 for a missing page, saw: $(cat "$OUT/got/missing.log" 2>/dev/null)"
	printf '%s\n' 'HTTP/1.1 200 OK | closed' 'HTTP/1.1 405 Method Not Allowed | closed' \
		'HTTP/1.1 400 Bad Request | closed' 'HTTP/1.1 505 HTTP Version Not Supported | closed' \
		'HTTP/1.1 413 Content Too Large | closed' 'HTTP/1.1 200 OK | closed' |
		cmp -s - "$OUT/raw.txt" ||
		judge_fail "hand-made requests: expected HEAD 200, 405, 400, 505, 413, pipelined 200; saw: $(tr '\n' ';' < "$OUT/raw.txt")"
	ab_clean ab.txt
	ab_clean ab-k.txt
	grep -Eq 'Requests/sec' "$OUT/wrk.txt" 2>/dev/null &&
		! grep -Eq 'Non-2xx|Socket errors: connect [1-9]|read [1-9]|write [1-9]' "$OUT/wrk.txt" ||
		judge_fail "expected wrk to run without non-2xx or connect/read/write errors, saw: $(tr '\n' ';' < "$OUT/wrk.txt" 2>/dev/null)"
	grep -Eq '^requests [0-9]{5,}$' "$OUT/stats.txt" 2>/dev/null &&
		grep -Eq '^mem_pages_free [0-9]+$' "$OUT/stats.txt" &&
		grep -Eq '^net_rx_frames [0-9]+$' "$OUT/stats.txt" ||
		judge_fail "expected /stats with requests, net and memory counters, saw: $(tr '\n' ';' < "$OUT/stats.txt" 2>/dev/null)"
	expect_match httpd '^httpd: stopped: [0-9]+ requests \(2xx [0-9]+, 4xx [0-9]+, 5xx [0-9]+\), [0-9]+ connections, 0 refused'
	expect_no_match httpd 'Fatal|fault|broken'
	expect_reason httpd poweroff
}
