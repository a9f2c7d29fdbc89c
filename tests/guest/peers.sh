# peers: Minnow guests talking to each other over dom0's bridge xenbr0,
# lwIP on both ends, with no dom0 client involved. udp-echo (10.0.0.7)
# and tcp-echo (10.0.0.8) serve; netpeer (10.0.0.9) checks them with
# non-blocking sockets and select(): 200 UDP datagrams of 1-1472 bytes,
# a 4 MiB TCP stream echoed while it is sent, and a select() timeout. Its
# verdict lines become this scenario's; then the servers get `xl
# shutdown` and must report the traffic they served.

PEER_UDP_IP=10.0.0.7
PEER_TCP_IP=10.0.0.8

scenario_dom0() {
	local udp tcp
	bridge_up
	run_guest udp-echo peer-udp 300 "extra=\"$PEER_UDP_IP/24\"" \
		'vif=["bridge=xenbr0"]' &
	udp=$!
	run_guest tcp-echo peer-tcp 300 "extra=\"$PEER_TCP_IP/24\"" \
		'vif=["bridge=xenbr0"]' &
	tcp=$!
	if wait_console peer-udp 'udp-echo: ready' &&
		wait_console peer-tcp 'tcp-echo: ready'; then
		run_guest netpeer netpeer 240 \
			"extra=\"10.0.0.9/24 $PEER_UDP_IP $PEER_TCP_IP\"" \
			'vif=["bridge=xenbr0"]'
	fi
	xl shutdown peer-udp
	xl shutdown peer-tcp
	wait "$udp" "$tcp"
}

scenario_judge() {
	guest_verdicts netpeer 'netpeer: '
	expect_match netpeer '^netpeer: PASS tcp '
	expect_match netpeer '^netpeer: PASS udp '
	expect_no_match netpeer '^netpeer: FAIL'
	expect_reason netpeer poweroff
	expect_match peer-tcp '^tcp-echo: stopped: 1 connections, 4194304 bytes echoed, 0 errors$'
	expect_match peer-udp 'echoed [0-9]+ datagrams'
	expect_reason peer-udp poweroff
	expect_reason peer-tcp poweroff
}
