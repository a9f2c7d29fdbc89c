/*
 * test_net_csum.c - net/net_csum.c against a reference checksum built
 * the slow, obvious way (pseudo-header written out, RFC 1071 sum byte by
 * byte), and against malformed frames: every frame under test sits in a
 * buffer of exactly its length, so a read past it stops ASan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "net/net_csum.c"
#include "unit.h"

/* ref_sum - RFC 1071's sum of p as big-endian words, folded, byte by
 * byte: what sum_bytes must agree with. */
static uint16_t ref_sum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < len; i += 2) {
		sum += (uint32_t)p[i] << 8 | (i + 1 < len ? p[i + 1] : 0);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)sum;
}

/* ref_csum - RFC 1071 over pseudo-header + segment, written out. */
static uint16_t ref_csum(const uint8_t *f, size_t l4_off, size_t l4_len,
			 uint8_t proto)
{
	uint8_t buf[12 + 2048] = { 0 };

	memcpy(buf, f + 14 + 12, 8);
	buf[9] = proto;
	buf[10] = (uint8_t)(l4_len >> 8);
	buf[11] = (uint8_t)l4_len;
	memcpy(buf + 12, f + l4_off, l4_len);
	return (uint16_t)~ref_sum(buf, 12 + l4_len);
}

/* frame - an IPv4 frame: 20-byte IP header (+opt bytes of options),
 * proto, an L4 segment of l4 bytes (header + payload pattern), pad bytes
 * of Ethernet padding; in a malloc'd buffer of exactly *len bytes. */
static uint8_t *frame(uint8_t proto, size_t opt, size_t l4, size_t pad,
		      size_t *len)
{
	uint8_t *f;
	size_t ihl = 20 + opt;

	*len = 14 + ihl + l4 + pad;
	f = calloc(1, *len);
	f[12] = 0x08;
	f[14] = (uint8_t)(0x40 | ihl / 4);
	f[16] = (uint8_t)((ihl + l4) >> 8);
	f[17] = (uint8_t)(ihl + l4);
	f[14 + 8] = 64;
	f[14 + 9] = proto;
	memcpy(f + 14 + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x04", 8);
	for (size_t i = 0; i < l4; i++)
		f[14 + ihl + i] = (uint8_t)(i * 37 + 11);
	if (proto == 17) {
		f[14 + ihl + 4] = (uint8_t)(l4 >> 8);
		f[14 + ihl + 5] = (uint8_t)l4;
	}
	return f;
}

/* ref_csum6 - the same with IPv6's pseudo-header (RFC 8200 8.1). */
static uint16_t ref_csum6(const uint8_t *f, size_t l4_off, size_t l4_len,
			  uint8_t proto)
{
	uint8_t buf[40 + 2048] = { 0 };

	memcpy(buf, f + 14 + 8, 32);
	buf[34] = (uint8_t)(l4_len >> 8);
	buf[35] = (uint8_t)l4_len;
	buf[39] = proto;
	memcpy(buf + 40, f + l4_off, l4_len);
	return (uint16_t)~ref_sum(buf, 40 + l4_len);
}

/* frame6 - an IPv6 frame: 40-byte header, ext bytes of destination
 * options (a multiple of 8; 0: none), proto, an L4 segment of l4 bytes,
 * pad bytes of padding; exactly *len bytes, malloc'd. */
static uint8_t *frame6(uint8_t proto, size_t ext, size_t l4, size_t pad,
		       size_t *len)
{
	uint8_t *f;
	size_t l4_off = 14 + 40 + ext;

	*len = l4_off + l4 + pad;
	f = calloc(1, *len);
	f[12] = 0x86;
	f[13] = 0xdd;
	f[14] = 0x60;
	f[18] = (uint8_t)((ext + l4) >> 8);
	f[19] = (uint8_t)(ext + l4);
	f[20] = ext ? 60 : proto;
	f[21] = 64;
	for (int i = 0; i < 32; i++)
		f[22 + i] = (uint8_t)(0xfd + i * 13);
	if (ext) {
		f[54] = proto;
		f[55] = (uint8_t)(ext / 8 - 1);
	}
	for (size_t i = 0; i < l4; i++)
		f[l4_off + i] = (uint8_t)(i * 37 + 11);
	if (proto == 17) {
		f[l4_off + 4] = (uint8_t)(l4 >> 8);
		f[l4_off + 5] = (uint8_t)l4;
	}
	return f;
}

static uint16_t field(const uint8_t *f, size_t off)
{
	return (uint16_t)(f[off] << 8 | f[off + 1]);
}

static void tcp_fill_verify(void)
{
	size_t len, sizes[] = { 20, 21, 33, 1480 };

	for (int i = 0; i < 4; i++) {
		uint8_t *f = frame(6, 0, sizes[i], 0, &len);
		size_t check = 14 + 20 + 16;
		uint16_t want;

		f[check] = f[check + 1] = 0;
		want = ref_csum(f, 34, sizes[i], 6);
		f[check] = 0x12;		/* fill ignores what was there */
		EXPECT(net_csum_fill(f, len) == 0 && field(f, check) == want,
		       "tcp %zu: %04x, want %04x", sizes[i], field(f, check),
		       want);
		EXPECT(net_csum_verify(f, len) == 0, "a good sum must verify");
		f[len - 1] ^= 0x40;
		EXPECT(net_csum_verify(f, len) == -EBADMSG,
		       "a flipped bit must fail (%zu)", sizes[i]);
		free(f);
	}
}

static void ipv6_fill_verify(void)
{
	struct { uint8_t proto; size_t ext, l4; } cases[] = {
		{ 6, 0, 20 }, { 6, 16, 1001 }, { 17, 0, 9 }, { 17, 8, 1460 },
	};

	for (int i = 0; i < 4; i++) {
		size_t len, off = 14 + 40 + cases[i].ext;
		uint8_t *f = frame6(cases[i].proto, cases[i].ext, cases[i].l4,
				    0, &len);
		size_t check = off + (cases[i].proto == 6 ? 16 : 6);
		uint16_t want;

		f[check] = f[check + 1] = 0;
		want = ref_csum6(f, off, cases[i].l4, cases[i].proto);

		EXPECT(net_csum_fill(f, len) == 0 && field(f, check) == want,
		       "case %d: %04x, want %04x", i, field(f, check), want);
		EXPECT(net_csum_verify(f, len) == 0, "case %d must verify", i);
		f[len - 1] ^= 0x02;
		EXPECT(net_csum_verify(f, len) == -EBADMSG,
		       "case %d: a flipped bit must fail", i);
		free(f);
	}
}

static void udp_fill_verify(void)
{
	size_t len;
	uint8_t *f = frame(17, 8, 8 + 101, 0, &len);
	size_t check = 14 + 28 + 6;
	uint16_t want;

	f[check] = f[check + 1] = 0;
	want = ref_csum(f, 14 + 28, 109, 17);
	EXPECT(net_csum_fill(f, len) == 0 && field(f, check) == want,
	       "udp with IP options: %04x, want %04x", field(f, check), want);
	EXPECT(net_csum_verify(f, len) == 0, "good udp must verify");
	f[14 + 28 + 50] ^= 1;
	EXPECT(net_csum_verify(f, len) == -EBADMSG, "bad udp must fail");
	f[check] = f[check + 1] = 0;
	EXPECT(net_csum_verify(f, len) == 0, "udp without a checksum is fine");
	free(f);
}

/* partial_then_complete - what the backend and netif do with a blank
 * checksum must give the same field as a software fill. */
static void partial_then_complete(void)
{
	size_t len;
	uint8_t *f = frame(6, 4, 20 + 999, 0, &len);
	uint8_t *g = malloc(len);
	size_t check = 14 + 24 + 16;

	memcpy(g, f, len);
	net_csum_fill(g, len);
	EXPECT(net_csum_prepare_partial(f, 14 + 24 + 20, len) == 0,
	       "prepare on headers only");
	EXPECT(net_csum_verify(f, len) == -EBADMSG, "a partial sum is not final");
	EXPECT(net_csum_complete(f, len) == 0 && !memcmp(f, g, len),
	       "completed %04x, software %04x", field(f, check), field(g, check));
	EXPECT(net_csum_prepare_partial(f, 14 + 24 + 10, len) == -EINVAL,
	       "a checksum field past the header bytes must be refused");
	free(f);
	free(g);
}

static void padding_ignored(void)
{
	size_t len;
	uint8_t *f = frame(17, 0, 8 + 4, 22, &len);	/* 60-byte minimum */

	EXPECT(net_csum_fill(f, len) == 0, "fill");
	memset(f + len - 22, 0x5a, 22);
	EXPECT(net_csum_verify(f, len) == 0, "Ethernet padding is not data");
	free(f);
}

/* shrunk - the first n bytes of f in a buffer of exactly n bytes. */
static uint8_t *shrunk(const uint8_t *f, size_t n)
{
	uint8_t *g = malloc(n ? n : 1);

	memcpy(g, f, n);
	return g;
}

static void ipv6_partial_and_special(void)
{
	size_t len;
	uint8_t *f = frame6(6, 8, 20 + 500, 0, &len), *g = malloc(len);

	memcpy(g, f, len);
	net_csum_fill(g, len);
	EXPECT(net_csum_prepare_partial(f, 14 + 48 + 20, len) == 0,
	       "prepare v6 on headers only");
	EXPECT(net_csum_complete(f, len) == 0 && !memcmp(f, g, len),
	       "v6 completed the same as software");
	free(f);
	free(g);
	f = frame6(17, 0, 8 + 10, 0, &len);
	EXPECT(net_csum_verify(f, len) == -EBADMSG,
	       "IPv6 UDP without a checksum is refused");
	free(f);
	f = frame6(17, 8, 8 + 10, 0, &len);
	f[20] = 43;				/* a routing header... */
	f[54 + 3] = 1;				/* ...with a segment left */
	EXPECT(net_csum_verify(f, len) == NET_CSUM_NONE, "segments left");
	f[54 + 3] = 0;
	EXPECT(net_csum_fill(f, len) == 0 && net_csum_verify(f, len) == 0,
	       "a routing header with none left");
	f[20] = 44;				/* a fragment header */
	EXPECT(net_csum_verify(f, len) == NET_CSUM_NONE, "v6 fragment");
	f[20] = 58;				/* ICMPv6 */
	EXPECT(net_csum_verify(f, len) == NET_CSUM_NONE, "ICMPv6");
	free(f);
	f = frame6(17, 8, 8 + 10, 0, &len);
	f[55] = 2;				/* options past the payload */
	EXPECT(net_csum_verify(f, len) == -EINVAL, "options past the end");
	f[55] = 0;
	f[19] += 1;				/* payload past the frame */
	EXPECT(net_csum_verify(f, len) == -EINVAL, "payload past the end");
	free(f);
	f = frame6(6, 8, 40, 0, &len);
	for (size_t n = 14; n < len; n++) {	/* every cut */
		g = shrunk(f, n);
		EXPECT(net_csum_verify(g, n) == -EINVAL, "v6 cut at %zu", n);
		free(g);
	}
	free(f);
}

static void truncated_and_malformed(void)
{
	size_t len;
	uint8_t *f = frame(6, 0, 40, 0, &len), *g;
	int rc;

	for (size_t n = 0; n < len; n++) {	/* every cut */
		g = shrunk(f, n);
		rc = net_csum_verify(g, n);
		EXPECT(n < 14 ? rc == NET_CSUM_NONE : rc == -EINVAL,
		       "cut at %zu: %d", n, rc);
		rc = net_csum_complete(g, n);
		EXPECT(n < 14 ? rc == NET_CSUM_NONE : rc == -EINVAL,
		       "complete cut at %zu: %d", n, rc);
		free(g);
	}
	g = shrunk(f, len);
	g[14] = 0x44;				/* IHL 4 */
	EXPECT(net_csum_verify(g, len) == -EINVAL, "IHL under 5");
	g[14] = 0x4f;				/* IHL 15: past the frame */
	g[16] = 0;
	g[17] = 60;
	EXPECT(net_csum_complete(g, 14 + 40) == -EINVAL, "IHL past the end");
	g[14] = 0x45;
	g[17] = 19;				/* total under IHL */
	EXPECT(net_csum_fill(g, len) == -EINVAL, "total length under IHL");
	g[17] = 30;				/* 10 bytes of TCP */
	EXPECT(net_csum_fill(g, len) == -EINVAL, "TCP header cut short");
	g[14] = 0x65;				/* IPv6 version nibble */
	g[17] = 60;
	EXPECT(net_csum_verify(g, len) == -EINVAL, "version 6 in IPv4");
	free(g);
	free(f);
	f = frame(17, 0, 20, 0, &len);
	f[14 + 20 + 5] = 21;			/* UDP length past the IP one */
	EXPECT(net_csum_verify(f, len) == -EINVAL, "UDP length too big");
	f[14 + 20 + 5] = 7;
	EXPECT(net_csum_verify(f, len) == -EINVAL, "UDP length under 8");
	free(f);
}

static void tcp_fragments(void)
{
	size_t len;
	uint8_t *f = frame(6, 0, 40, 0, &len);

	EXPECT(!net_csum_tcp_fragment(f, len), "whole v4 TCP");
	f[14 + 6] = 0x20;			/* more fragments */
	EXPECT(net_csum_tcp_fragment(f, len), "v4 TCP fragment");
	f[14 + 9] = 17;
	EXPECT(!net_csum_tcp_fragment(f, len), "v4 UDP fragment");
	free(f);
	f = frame6(6, 8, 40, 0, &len);
	EXPECT(!net_csum_tcp_fragment(f, len), "whole v6 TCP");
	f[20] = 44;				/* options -> fragment header */
	EXPECT(net_csum_tcp_fragment(f, len), "v6 TCP fragment");
	f[54] = 17;
	EXPECT(!net_csum_tcp_fragment(f, len), "v6 UDP fragment");
	f[20] = 60;				/* options, then the fragment */
	f[54] = 44;
	f[55] = 0;
	f[62] = 6;
	EXPECT(net_csum_tcp_fragment(f, len), "v6 TCP fragment after options");
	EXPECT(!net_csum_tcp_fragment(f, 14 + 40 + 4), "cut short");
	free(f);
}

static void not_applicable(void)
{
	size_t len;
	uint8_t *f = frame(1, 0, 28, 0, &len);

	EXPECT(net_csum_verify(f, len) == NET_CSUM_NONE, "ICMP has no L4 sum here");
	f[14 + 9] = 6;
	f[14 + 6] = 0x20;			/* more fragments */
	EXPECT(net_csum_complete(f, len) == NET_CSUM_NONE, "a fragment");
	f[14 + 6] = 0x00;
	f[14 + 7] = 0x10;			/* an offset */
	EXPECT(net_csum_verify(f, len) == NET_CSUM_NONE, "a later fragment");
	f[14 + 7] = 0;
	f[12] = 0x08;
	f[13] = 0x06;				/* ARP */
	EXPECT(net_csum_fill(f, len) == NET_CSUM_NONE, "ARP");
	free(f);
}

/* check_sum - sum_bytes over len bytes at p (in a buffer of exactly
 * len bytes) against ref_sum. */
static void check_sum(const uint8_t *src, size_t len, const char *what)
{
	uint8_t *p = malloc(len ? len : 1);

	memcpy(p, src, len);
	EXPECT(fold(sum_bytes(0, p, len)) == ref_sum(p, len),
	       "%s, %zu bytes: sum %#x, expected %#x", what, len,
	       fold(sum_bytes(0, p, len)), ref_sum(p, len));
	free(p);
}

/* The word-at-a-time sum: every length and start up to 300 bytes of
 * random data, and 64 KiB of 0xff (every add carries) and of zeroes. */
static void sum_matches_bytewise(void)
{
	static uint8_t buf[65536 + 8];

	srand(7);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len <= 300; len++)
			check_sum(buf + off, len, "random");
	check_sum(buf + 3, 65536, "random");
	memset(buf, 0xff, sizeof(buf));
	for (size_t len = 65525; len <= 65536; len++)
		check_sum(buf, len, "all ones");
	memset(buf, 0, sizeof(buf));
	check_sum(buf, 65536, "all zeroes");
	EXPECT(fold(sum_bytes(0, buf, 65536)) == 0, "zeroes must sum to 0");
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(tcp_fill_verify), UNIT(udp_fill_verify),
		UNIT(ipv6_fill_verify), UNIT(ipv6_partial_and_special),
		UNIT(tcp_fragments),
		UNIT(partial_then_complete), UNIT(padding_ignored),
		UNIT(truncated_and_malformed), UNIT(not_applicable),
		UNIT(sum_matches_bytewise),
	};

	return RUN_UNITS("net_csum", units);
}
