/*
 * nettest - netfront's packet API without a TCP/IP stack: answers ARP
 * requests and ICMP echo requests (ping) for one IPv4 address, drops
 * and counts everything malformed, and on `xl shutdown` closes the vif
 * cleanly and prints its counters.
 *
 *   nettest [IPV4]            answer for IPV4 (default 10.0.0.2)
 *   nettest IPV4 ping PEER    also ping PEER (another guest): resolve it
 *                             with ARP, send 20 echo requests, print how
 *                             many replies came back
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/minnow.h>
#include <minnow/netfront.h>
#include <minnow/sched.h>

static struct netfront *nf;
static uint8_t my_mac[6];
static uint8_t my_ip[4];
static unsigned long arp_replies, echo_replies, malformed, ignored;
static uint8_t peer_ip[4], peer_mac[6];
static volatile int peer_known;
static volatile unsigned long pongs;

/* be16 / put16 - network byte order. */
static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* csum - the Internet checksum of len bytes (0 when data includes a
 * correct checksum). */
static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += be16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* arp - answer a request for our address. */
static void arp(const uint8_t *f, size_t len)
{
	uint8_t r[42];
	const uint8_t *a = f + 14;

	if (len < 42 || be16(a) != 1 || be16(a + 2) != 0x0800 || a[4] != 6 ||
	    a[5] != 4) {
		malformed++;
		return;
	}
	if (be16(a + 6) == 2 && !memcmp(a + 14, peer_ip, 4)) {
		memcpy(peer_mac, a + 8, 6);	/* the peer answered us */
		peer_known = 1;
		return;
	}
	if (be16(a + 6) != 1 || memcmp(a + 24, my_ip, 4)) {
		ignored++;		/* not a request for us */
		return;
	}
	memcpy(r, f + 6, 6);			/* to the asker */
	memcpy(r + 6, my_mac, 6);
	put16(r + 12, 0x0806);
	memcpy(r + 14, a, 6);			/* htype, ptype, sizes */
	put16(r + 20, 2);			/* reply */
	memcpy(r + 22, my_mac, 6);
	memcpy(r + 28, my_ip, 4);
	memcpy(r + 32, a + 8, 10);		/* asker's MAC and IP */
	if (netfront_send(nf, r, sizeof(r)) == 0)
		arp_replies++;
}

/* icmp_echo - answer a ping, after checking every header. */
static void icmp_echo(const uint8_t *f, size_t len)
{
	static uint8_t r[NETFRONT_MAX_FRAME];
	const uint8_t *ip = f + 14;
	size_t ihl, total;

	if (len < 34 || (ip[0] >> 4) != 4 || (ihl = (ip[0] & 15) * 4) < 20 ||
	    (total = be16(ip + 2)) < ihl + 8 || total > len - 14 ||
	    csum(ip, ihl)) {
		malformed++;
		return;
	}
	if (!memcmp(ip + 16, my_ip, 4) && ip[9] == 1 && ip[ihl] == 0 &&
	    !csum(ip + ihl, total - ihl)) {
		pongs++;		/* a reply to our own ping */
		return;
	}
	if (memcmp(ip + 16, my_ip, 4) || ip[9] != 1 || ip[ihl] != 8) {
		ignored++;		/* not an echo request for us */
		return;
	}
	if (csum(ip + ihl, total - ihl)) {
		malformed++;
		return;
	}
	memcpy(r, f + 6, 6);
	memcpy(r + 6, my_mac, 6);
	memcpy(r + 12, f + 12, 2 + total);
	memcpy(r + 14 + 12, ip + 16, 4);	/* swap addresses */
	memcpy(r + 14 + 16, ip + 12, 4);
	r[14 + 8] = 64;				/* fresh TTL */
	put16(r + 14 + 10, 0);
	put16(r + 14 + 10, csum(r + 14, ihl));
	r[14 + ihl] = 0;			/* echo reply */
	put16(r + 14 + ihl + 2, 0);
	put16(r + 14 + ihl + 2, csum(r + 14 + ihl, total - ihl));
	if (netfront_send(nf, r, 14 + total) == 0)
		echo_replies++;
}

/* on_frame - the receive callback (in netfront's thread). */
static void on_frame(struct netfront *dev, void *frame, size_t len,
		     unsigned int flags, void *arg)
{
	const uint8_t *f = frame;

	(void)dev;
	(void)flags;		/* ARP and ICMP carry no L4 checksum offload */
	(void)arg;
	if (len < 14) {
		malformed++;
		return;
	}
	if (be16(f + 12) == 0x0806)
		arp(f, len);
	else if (be16(f + 12) == 0x0800)
		icmp_echo(f, len);
	else
		ignored++;
}

/* send_arp_request - who has peer_ip? */
static void send_arp_request(void)
{
	uint8_t r[42];

	memset(r, 0xff, 6);
	memcpy(r + 6, my_mac, 6);
	put16(r + 12, 0x0806);
	put16(r + 14, 1);
	put16(r + 16, 0x0800);
	r[18] = 6;
	r[19] = 4;
	put16(r + 20, 1);
	memcpy(r + 22, my_mac, 6);
	memcpy(r + 28, my_ip, 4);
	memset(r + 32, 0, 6);
	memcpy(r + 38, peer_ip, 4);
	netfront_send(nf, r, sizeof(r));
}

/* send_echo - one ICMP echo request with sequence number seq. */
static void send_echo(uint16_t seq)
{
	uint8_t r[14 + 20 + 8 + 56];
	uint8_t *ip = r + 14, *icmp = ip + 20;

	memcpy(r, peer_mac, 6);
	memcpy(r + 6, my_mac, 6);
	put16(r + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 20 + 8 + 56);
	ip[8] = 64;
	ip[9] = 1;
	memcpy(ip + 12, my_ip, 4);
	memcpy(ip + 16, peer_ip, 4);
	put16(ip + 10, csum(ip, 20));
	memset(icmp, 0, 8 + 56);
	icmp[0] = 8;
	put16(icmp + 4, 0x4d4e);		/* identifier */
	put16(icmp + 6, seq);
	for (int i = 0; i < 56; i++)
		icmp[8 + i] = (uint8_t)i;
	put16(icmp + 2, csum(icmp, 8 + 56));
	netfront_send(nf, r, sizeof(r));
}

/* ping_peer - resolve the peer, ping it 20 times, report the replies. */
static void ping_peer(void)
{
	for (int i = 0; i < 50 && !peer_known; i++) {
		send_arp_request();
		thread_sleep_ns(200000000ULL);
	}
	if (!peer_known) {
		printf("nettest: peer %u.%u.%u.%u never answered ARP\n",
		       peer_ip[0], peer_ip[1], peer_ip[2], peer_ip[3]);
		return;
	}
	for (uint16_t seq = 1; seq <= 20; seq++) {
		send_echo(seq);
		thread_sleep_ns(50000000ULL);
	}
	thread_sleep_ns(1000000000ULL);		/* late replies */
	printf("nettest: pinged %u.%u.%u.%u: 20 sent, %lu replies\n",
	       peer_ip[0], peer_ip[1], peer_ip[2], peer_ip[3], pongs);
}

static void on_shutdown(int reason)
{
	struct netfront_stats s;
	int rc;

	(void)reason;
	netfront_stats_get(nf, &s);
	rc = netfront_close(nf);
	printf("nettest: closed (%d): rx %lu tx %lu, arp %lu, echo %lu, "
	       "malformed %lu, ignored %lu, bad responses %lu\n", rc,
	       s.rx_packets, s.tx_packets, arp_replies, echo_replies,
	       malformed, ignored, s.bad_responses);
}

/* parse_ip - dotted quad into out; 0 or -EINVAL. */
static int parse_ip(const char *s, uint8_t out[4])
{
	unsigned int a[4];
	char tail;

	if (sscanf(s, "%u.%u.%u.%u%c", &a[0], &a[1], &a[2], &a[3], &tail) != 4)
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		if (a[i] > 255)
			return -EINVAL;
		out[i] = (uint8_t)a[i];
	}
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	if (parse_ip(argc > 1 ? argv[1] : "10.0.0.2", my_ip) ||
	    (argc > 3 && (strcmp(argv[2], "ping") || parse_ip(argv[3], peer_ip)))) {
		printf("nettest: usage: nettest [IPV4 [ping PEER]]\n");
		return 2;
	}
	rc = netfront_open(0, &nf);
	if (rc) {
		printf("nettest: netfront_open: %d\n", rc);
		return 1;
	}
	netfront_mac(nf, my_mac);
	netfront_set_rx(nf, on_frame, NULL);
	minnow_set_shutdown_hook(on_shutdown);
	printf("nettest: ready %u.%u.%u.%u mac %02x:%02x:%02x:%02x:%02x:%02x\n",
	       my_ip[0], my_ip[1], my_ip[2], my_ip[3], my_mac[0], my_mac[1],
	       my_mac[2], my_mac[3], my_mac[4], my_mac[5]);
	if (argc > 3)
		ping_peer();
	for (;;)
		thread_sleep_ns(1000000000ULL);
}
