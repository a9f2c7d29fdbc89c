/*
 * test_net_check.c - the receive-side frame checks: good frames pass,
 * each malformed class gets its verdict, every truncation of a good
 * frame is refused, UDP trimming keeps a valid IP header, and random
 * frames never make it read past them (frames are heap copies of exactly
 * their length, under ASan).
 */
#include <stdlib.h>
#include <string.h>
#include "net/net_check.c"
#include "unit.h"

static uint8_t f[1600];

/* put16 - big-endian 16-bit value at p. */
static void put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* fix_ip - the IP header checksum of f's packet. */
static void fix_ip(void)
{
	size_t ihl = (size_t)(f[14] & 15) * 4;

	put16(f + 24, 0);
	put16(f + 24, ~ip_sum(f + 14, ihl) & 0xffff);
}

/* ipv4 - f = Ethernet + IPv4 (proto, l4 bytes of zeros after); frame
 * length returned. */
static size_t ipv4(uint8_t proto, size_t l4)
{
	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	f[6] = 0x02;
	put16(f + 12, 0x0800);
	f[14] = 0x45;
	put16(f + 16, (unsigned int)(20 + l4));
	f[22] = 64;
	f[23] = proto;
	f[26] = 10, f[29] = 1, f[30] = 10, f[33] = 2;
	fix_ip();
	return 14 + 20 + l4;
}

/* udp_header - a UDP header at f + off for payload bytes. */
static void udp_header(size_t off, size_t payload)
{
	put16(f + off, 1234);
	put16(f + off + 2, 7);
	put16(f + off + 4, (unsigned int)(8 + payload));
}

static size_t udp(size_t payload)
{
	size_t n = ipv4(17, 8 + payload);

	udp_header(34, payload);
	return n;
}

static size_t tcp(size_t payload)
{
	size_t n = ipv4(6, 20 + payload);

	f[46] = 5 << 4;
	return n;
}

/* ipv6 - f = Ethernet + IPv6 (next header nh, l4 bytes of zeros after). */
static size_t ipv6(uint8_t nh, size_t l4)
{
	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	f[6] = 0x02;
	put16(f + 12, 0x86dd);
	f[14] = 0x60;
	put16(f + 18, (unsigned int)l4);
	f[20] = nh;
	f[21] = 64;
	f[22] = 0xfd, f[37] = 1, f[38] = 0xfd, f[53] = 2;
	return 14 + 40 + l4;
}

static size_t udp6(size_t payload)
{
	size_t n = ipv6(17, 8 + payload);

	udp_header(54, payload);
	return n;
}

static size_t tcp6(size_t payload)
{
	size_t n = ipv6(6, 20 + payload);

	f[66] = 5 << 4;
	return n;
}

/* ext6 - insert an extension header of kind nh and len bytes (a multiple
 * of 8) right after f's IPv6 header; the frame's new length. */
static size_t ext6(size_t n, uint8_t nh, size_t len)
{
	memmove(f + 54 + len, f + 54, n - 54);
	memset(f + 54, 0, len);
	f[54] = f[20];			/* what followed the fixed header */
	if (nh != 44)
		f[55] = (uint8_t)(len / 8 - 1);
	f[20] = nh;
	put16(f + 18, be16(f + 18) + (unsigned int)len);
	return n + len;
}

static size_t arp(void)
{
	memset(f, 0, sizeof(f));
	put16(f + 12, 0x0806);
	put16(f + 14, 1);
	put16(f + 16, 0x0800);
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, 1);
	return 42;
}

/* verdict - net_check_frame on a heap copy of f's first n bytes;
 * *out_len (if set) gets the length after. */
static enum net_check_verdict verdict(size_t n, size_t *out_len)
{
	uint8_t *b = malloc(n ? n : 1);
	size_t len = n;
	enum net_check_verdict v;

	memcpy(b, f, n);
	v = net_check_frame(b, &len, 1500);
	if (out_len)
		*out_len = len;
	memcpy(f, b, len);
	free(b);
	return v;
}

static void good_frames(void)
{
	size_t n;

	EXPECT(verdict(udp(100), NULL) == NET_CHECK_OK, "udp");
	EXPECT(verdict(tcp(0), NULL) == NET_CHECK_OK, "tcp");
	EXPECT(verdict(ipv4(1, 8), NULL) == NET_CHECK_OK, "icmp");
	EXPECT(verdict(arp(), NULL) == NET_CHECK_OK, "arp");
	n = udp(4);		/* padded to the Ethernet minimum */
	EXPECT(verdict(60, &n) == NET_CHECK_OK && n == 60,
	       "padding is lwIP's to cut: len %zu", n);
	EXPECT(verdict(udp(1472), NULL) == NET_CHECK_OK, "full MTU");
	EXPECT(verdict(udp6(100), NULL) == NET_CHECK_OK, "udp6");
	EXPECT(verdict(tcp6(0), NULL) == NET_CHECK_OK, "tcp6");
	EXPECT(verdict(ipv6(58, 8), NULL) == NET_CHECK_OK, "icmp6");
	EXPECT(verdict(ipv6(59, 0), NULL) == NET_CHECK_OK, "no next header");
	EXPECT(verdict(udp6(1452), NULL) == NET_CHECK_OK, "full MTU v6");
	n = udp6(2);
	EXPECT(verdict(64, &n) == NET_CHECK_OK && n == 64,
	       "v6 padding is lwIP's to cut: len %zu", n);
	n = ext6(ext6(ext6(udp6(10), 60, 16), 43, 8), 0, 8);
	EXPECT(verdict(n, NULL) == NET_CHECK_OK, "hop-by-hop, routing, dstopts");
}

static void bad_classes6(void)
{
	size_t n;

	n = udp6(10); f[14] = 0x40;
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "version 4 in IPv6");
	EXPECT(verdict(14 + 39, NULL) == NET_CHECK_RUNT, "39-byte header");
	n = udp6(10); put16(f + 18, 19);
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "payload past the frame");
	n = ext6(ext6(udp6(10), 60, 8), 0, 8);
	EXPECT(verdict(n, NULL) == NET_CHECK_OK, "hop-by-hop first");
	n = ext6(ext6(udp6(10), 0, 8), 60, 8);
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "hop-by-hop not first");
	n = ext6(udp6(10), 60, 8); f[55] = 3;
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "option header past the packet");
	n = udp6(10);
	for (int k = 0; k < 9; k++)
		n = ext6(n, 60, 8);
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "nine extension headers");
	n = ipv6(60, 4);
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "extension header cut");
	n = udp6(10); put16(f + 58, 7);
	EXPECT(verdict(n, NULL) == NET_CHECK_L4, "UDP6 length 7");
	n = udp6(10); put16(f + 58, 19);
	EXPECT(verdict(n, NULL) == NET_CHECK_L4, "UDP6 length past the packet");
	n = ipv6(17, 4);
	EXPECT(verdict(n, NULL) == NET_CHECK_L4, "UDP6 header cut");
	n = tcp6(8); f[66] = 15 << 4;
	EXPECT(verdict(n, NULL) == NET_CHECK_L4, "TCP6 offset past the segment");
	n = ext6(tcp6(0), 60, 8); f[74] = 4 << 4;
	EXPECT(verdict(n, NULL) == NET_CHECK_L4, "TCP6 offset 4 after options");
}

static void fragments6(void)
{
	size_t n = ext6(udp6(10), 44, 8);

	put16(f + 56, 0x0001);		/* offset 0, more fragments */
	put16(f + 70, 3000);		/* the whole datagram's length */
	EXPECT(verdict(n, NULL) == NET_CHECK_OK, "first fragment");
	n = ext6(ipv6(17, 4), 44, 8);
	put16(f + 56, 0x0100);		/* offset 32 * 8: no UDP header */
	EXPECT(verdict(n, NULL) == NET_CHECK_OK, "later fragment");
	n = ext6(ipv6(17, 4), 44, 8);
	EXPECT(verdict(n, NULL) == NET_CHECK_L4, "atomic fragment, UDP cut");
}

static void bad_classes(void)
{
	size_t n;

	EXPECT(verdict(13, NULL) == NET_CHECK_RUNT, "13 bytes");
	memset(f, 0, 1600);
	EXPECT(verdict(1515, NULL) == NET_CHECK_OVERSIZE, "over MTU");
	n = udp(30); put16(f + 12, 0x86dd);
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "IPv4 called IPv6");
	n = udp(10); put16(f + 12, 0x8100);
	EXPECT(verdict(n, NULL) == NET_CHECK_ETHERTYPE, "VLAN");
	n = arp(); f[18] = 8;
	EXPECT(verdict(n, NULL) == NET_CHECK_ARP, "ARP hlen 8");
	n = udp(10); f[14] = 0x65; fix_ip();
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "version 6 in IPv4");
	n = udp(10); f[14] = 0x44;
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "IHL 4");
	n = udp(10); f[14] = 0x4f;
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "IHL 15 past the frame");
	n = udp(10); put16(f + 16, 19); fix_ip();
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "total under IHL");
	n = udp(10); put16(f + 16, 200); fix_ip();
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "total past the frame");
	n = udp(10); f[25] ^= 1;
	EXPECT(verdict(n, NULL) == NET_CHECK_IP, "bad header checksum");
	n = udp(10); put16(f + 38, 7);
	EXPECT(verdict(n, NULL) == NET_CHECK_L4, "UDP length 7");
	n = udp(10); put16(f + 38, 19);
	EXPECT(verdict(n, NULL) == NET_CHECK_L4, "UDP length past the packet");
	n = ipv4(17, 4);
	EXPECT(verdict(n, NULL) == NET_CHECK_L4, "UDP header cut");
	n = tcp(0); f[46] = 4 << 4;
	EXPECT(verdict(n, NULL) == NET_CHECK_L4, "TCP offset 4");
	n = tcp(8); f[46] = 15 << 4;
	EXPECT(verdict(n, NULL) == NET_CHECK_L4, "TCP offset past the segment");
}

static void udp_trim(void)
{
	size_t n = udp(100), after;

	put16(f + 38, 8 + 40);
	EXPECT(verdict(n, &after) == NET_CHECK_OK && after == 14 + 20 + 48,
	       "trimmed to %zu", after);
	EXPECT(be16(f + 16) == 68 && ip_sum(f + 14, 20) == 0xffff,
	       "IP total %u and checksum after the trim", be16(f + 16));
	n = ext6(udp6(100), 60, 8);
	put16(f + 66, 8 + 40);
	EXPECT(verdict(n, &after) == NET_CHECK_OK &&
	       after == 14 + 40 + 8 + 48, "v6 trimmed to %zu", after);
	EXPECT(be16(f + 18) == 56, "payload length %u after the trim",
	       be16(f + 18));
}

static void fragments(void)
{
	size_t n = ipv4(17, 4);		/* a later fragment: 4 bytes */

	put16(f + 20, 0x0010);		/* offset 16 * 8 */
	fix_ip();
	EXPECT(verdict(n, NULL) == NET_CHECK_OK, "later fragment");
	n = udp(10);
	put16(f + 38, 3000);		/* the whole datagram's length */
	put16(f + 20, 0x2000);		/* more fragments */
	fix_ip();
	EXPECT(verdict(n, NULL) == NET_CHECK_OK, "first fragment");
}

/* truncations - every prefix of a good frame is refused. */
static void truncations(void)
{
	size_t (*makers[])(size_t) = { udp, tcp, udp6, tcp6 };

	for (int k = 0; k < 4; k++) {
		uint8_t whole[200];
		size_t n = makers[k](30);

		memcpy(whole, f, n);
		for (size_t i = 0; i < n; i++) {
			memcpy(f, whole, n);
			EXPECT(verdict(i, NULL) != NET_CHECK_OK,
			       "kind %d cut at %zu passed", k, i);
		}
	}
	for (size_t i = 0; i < 42; i++) {
		arp();
		EXPECT(verdict(i, NULL) != NET_CHECK_OK, "ARP cut at %zu", i);
	}
}

static void random_frames(void)
{
	srand(11);
	for (int r = 0; r < 50000 && !unit_failures; r++) {
		size_t n = (size_t)(rand() % 120), after;
		enum net_check_verdict v;

		size_t (*makers[])(size_t) = { udp, tcp, udp6, tcp6 };
		int kind = rand() % 4;
		size_t m = makers[kind](rand() % 60);

		for (int k = kind >= 2 ? rand() % 3 : 0; k > 0; k--)
			m = ext6(m, (uint8_t[]){ 0, 44, 60 }[rand() % 3], 8);
		for (int k = rand() % 6; k > 0; k--)
			f[rand() % 120] = (uint8_t)rand();
		v = verdict(n, &after);
		EXPECT(v < NET_CHECK_VERDICTS && after <= n, "verdict %d len %zu of %zu",
		       v, after, n);
	}
	EXPECT(!strcmp(net_check_name(NET_CHECK_L4), "l4"), "names");
}

int main(void)
{
	static const struct unit units[] = { UNIT(good_frames), UNIT(bad_classes),
		UNIT(bad_classes6), UNIT(fragments6),
		UNIT(udp_trim), UNIT(fragments), UNIT(truncations),
		UNIT(random_frames) };

	return RUN_UNITS("net_check", units);
}
