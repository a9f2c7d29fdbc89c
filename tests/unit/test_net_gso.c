/*
 * test_net_gso.c - merging TCP segments for GSO (net/net_gso.c): a run
 * of contiguous segments, short ones anywhere, becomes one frame with
 * the right lengths, checksum, flags, bytes and mss (the largest), for
 * IPv4 and IPv6; everything that must not be merged is refused; a
 * merged batch never exceeds its limit.
 */
#include <stdlib.h>
#include <string.h>
#include "net/net_gso.c"
#include "unit.h"

#define MSS	1460

static uint8_t frame[NET_GSO_MAX];

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* tcp - the TCP header and data bytes at t. Payload byte i is
 * (seq + i) & 0xff, so merged data can be checked. */
static void tcp(uint8_t *t, uint32_t seq, size_t data, uint8_t flags,
		uint16_t sport)
{
	put16(t, sport);
	put16(t + 2, 40000);
	put32(t + 4, seq);
	put32(t + 8, 777);
	t[12] = 5 << 4;
	t[13] = flags;
	put16(t + 14, 65535);
	for (size_t i = 0; i < data; i++)
		t[20 + i] = (uint8_t)(seq + i);
}

/* seg - an Ethernet/IPv4/TCP segment into frame: its length. */
static size_t seg(uint32_t seq, size_t data, uint8_t flags, uint16_t sport)
{
	uint8_t *ip = frame + 14;

	memset(frame, 0, 54);
	memcpy(frame, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	ip[0] = 0x45;
	put16(ip + 2, (unsigned int)(40 + data));
	ip[6] = 0x40;			/* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\x0a\0\0\x3d\x0a\0\0\x01", 8);
	tcp(ip + 20, seq, data, flags, sport);
	return 54 + data;
}

/* seg6 - the same segment over IPv6 (fd00::3d to fd00::1, flow label
 * 0x12345, hop limit 64): its length, 74 + data. */
static size_t seg6(uint32_t seq, size_t data, uint8_t flags, uint16_t sport)
{
	uint8_t *ip = frame + 14;

	memset(frame, 0, 74);
	memcpy(frame, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x86\xdd", 14);
	memcpy(ip, "\x60\x01\x23\x45", 4);
	put16(ip + 4, (unsigned int)(20 + data));
	ip[6] = 6;
	ip[7] = 64;
	ip[8] = 0xfd;
	ip[23] = 0x3d;
	ip[24] = 0xfd;
	ip[39] = 1;
	tcp(ip + 40, seq, data, flags, sport);
	return 74 + data;
}

/* ip_ok - the merged frame's IP header checksum verifies. */
static int ip_ok(const uint8_t *ip)
{
	uint32_t s = 0;

	for (int i = 0; i < 20; i += 2)
		s += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

static void merge_run(void)
{
	static struct net_gso g;
	unsigned int segs, mss;
	size_t len;
	int ok = 1;

	for (int i = 0; i < 4; i++)
		ok &= net_gso_add(&g, frame, seg(1000 + (uint32_t)i * MSS, MSS,
						 0x10, 7)) == 1;
	ok &= net_gso_add(&g, frame, seg(1000 + 4 * MSS, 100, 0x18, 7)) == 1;
	EXPECT(ok, "four full segments and a short one with PSH are taken");
	EXPECT(net_gso_add(&g, frame, seg(1000 + 4 * MSS + 100, 10, 0x10, 7)),
	       "a segment may follow a short one (TCP is a byte stream)");
	len = net_gso_take(&g, &segs, &mss);
	EXPECT(len == 54 + 4 * MSS + 110 && segs == 6 && mss == MSS,
	       "merged: %zu bytes, %u segments, the largest of %u", len, segs,
	       mss);
	EXPECT((g.buf[14 + 2] << 8 | g.buf[14 + 3]) == (int)(len - 14) &&
	       ip_ok(g.buf + 14), "IP total length and checksum rewritten");
	EXPECT(g.buf[14 + 20 + 13] == 0x18, "PSH of a later one is kept: %#x",
	       g.buf[14 + 20 + 13]);
	for (size_t i = 0; i < len - 54; i++)
		ok &= g.buf[54 + i] == (uint8_t)(1000 + i);
	EXPECT(ok, "the data is every segment's, in order");
	EXPECT(!net_gso_take(&g, &segs, &mss) && segs == 0, "empty after take");
}

/* short_first - a write's short tail, sent alone before the next write,
 * starts a batch that full segments then join: the mss netback cuts at
 * is the largest segment's, not the first's. */
static void short_first(void)
{
	static struct net_gso g;
	unsigned int segs, mss;
	size_t len;
	int ok = net_gso_add(&g, frame, seg(7, 1296, 0x18, 7));

	for (int i = 0; i < 3; i++)
		ok &= net_gso_add(&g, frame, seg(7 + 1296 + (uint32_t)i * MSS,
						 MSS, 0x10, 7));
	len = net_gso_take(&g, &segs, &mss);
	EXPECT(ok && len == 54 + 1296 + 3 * MSS && segs == 4 && mss == MSS,
	       "merged: %zu bytes, %u segments, mss %u", len, segs, mss);
	EXPECT(!net_gso_add(&g, frame, seg(1, NET_GSO_MIN_MSS - 1, 0x10, 7)),
	       "a segment under NET_GSO_MIN_MSS starts no batch");
	EXPECT(net_gso_add(&g, frame, seg(1, NET_GSO_MIN_MSS, 0x10, 7)) &&
	       net_gso_add(&g, frame, seg(1 + NET_GSO_MIN_MSS, 1, 0x10, 7)),
	       "one of NET_GSO_MIN_MSS does, and a smaller one may join it");
	len = net_gso_take(&g, &segs, &mss);
	EXPECT(segs == 2 && mss == NET_GSO_MIN_MSS, "%u segments, mss %u",
	       segs, mss);
}

static void refused(void)
{
	static struct net_gso g;
	size_t n;

	EXPECT(!net_gso_add(&g, frame, seg(1, 0, 0x10, 7)), "a pure ACK");
	EXPECT(!net_gso_add(&g, frame, seg(1, 10, 0x02, 7)), "a SYN");
	EXPECT(!net_gso_add(&g, frame, seg(1, 10, 0x11, 7)), "a FIN");
	n = seg(1, 10, 0x10, 7);
	frame[14 + 6] |= 0x20;
	EXPECT(!net_gso_add(&g, frame, n), "a fragment (MF)");
	n = seg(1, 10, 0x10, 7);
	frame[14] = 0x46;
	EXPECT(!net_gso_add(&g, frame, n), "IP options");
	n = seg(1, 10, 0x10, 7);
	frame[13] = 0xdd;
	EXPECT(!net_gso_add(&g, frame, n), "not IPv4");
	n = seg(1, 10, 0x10, 7);
	EXPECT(!net_gso_add(&g, frame, n + 2), "padding past the IP length");
	EXPECT(!net_gso_add(&g, frame, 30), "a runt");

	EXPECT(net_gso_add(&g, frame, seg(5000, MSS, 0x10, 7)), "a start");
	EXPECT(!net_gso_add(&g, frame, seg(5000 + MSS + 1, MSS, 0x10, 7)),
	       "a gap in the sequence");
	EXPECT(!net_gso_add(&g, frame, seg(5000 + MSS, MSS, 0x10, 8)),
	       "another connection");
	n = seg(5000 + MSS, MSS, 0x10, 7);
	frame[14 + 20 + 11] = 1;	/* another ack */
	EXPECT(!net_gso_add(&g, frame, n), "another acknowledgement");
	n = seg(5000 + MSS, MSS, 0x10, 7);
	frame[14 + 20 + 15] = 1;	/* another window */
	EXPECT(!net_gso_add(&g, frame, n), "another window");
	EXPECT(g.segs == 1, "the batch kept its one segment");
}

/* merge_ipv6 - the same run over IPv6: the payload length is
 * rewritten (there is no header checksum), PSH kept, data in order. */
static void merge_ipv6(void)
{
	static struct net_gso g;
	unsigned int segs, mss;
	size_t len;
	int ok = 1;

	for (int i = 0; i < 3; i++)
		ok &= net_gso_add(&g, frame, seg6(9 + (uint32_t)i * 1440, 1440,
						  0x10, 7)) == 1;
	ok &= net_gso_add(&g, frame, seg6(9 + 3 * 1440, 50, 0x18, 7)) == 1;
	EXPECT(ok, "three full IPv6 segments and a short one are taken");
	len = net_gso_take(&g, &segs, &mss);
	EXPECT(len == 74 + 3 * 1440 + 50 && segs == 4 && mss == 1440,
	       "merged: %zu bytes, %u segments, mss %u", len, segs, mss);
	EXPECT((g.buf[14 + 4] << 8 | g.buf[14 + 5]) == (int)(len - 54),
	       "payload length rewritten: %d",
	       g.buf[14 + 4] << 8 | g.buf[14 + 5]);
	EXPECT(g.buf[14 + 40 + 13] == 0x18, "PSH kept: %#x",
	       g.buf[14 + 40 + 13]);
	EXPECT(!memcmp(g.buf + 14, "\x60\x01\x23\x45", 4) &&
	       g.buf[14 + 6] == 6 && g.buf[14 + 7] == 64,
	       "the rest of the IPv6 header is the first segment's");
	for (size_t i = 0; i < len - 74; i++)
		ok &= g.buf[74 + i] == (uint8_t)(9 + i);
	EXPECT(ok, "the data is every segment's, in order");
}

/* refused_ipv6 - what must not be merged over IPv6, and no mixing of
 * the two families in one batch. */
static void refused_ipv6(void)
{
	static struct net_gso g;
	unsigned int segs, mss;
	size_t n;

	n = seg6(1, 10, 0x10, 7);
	frame[14 + 6] = 0;		/* hop-by-hop options first */
	EXPECT(!net_gso_add(&g, frame, n), "an extension header");
	n = seg6(1, 10, 0x10, 7);
	EXPECT(!net_gso_add(&g, frame, n + 2), "padding past the payload");
	n = seg6(1, 10, 0x10, 7);
	frame[14] = 0x45;
	EXPECT(!net_gso_add(&g, frame, n), "IPv6's type, IPv4's version");
	EXPECT(!net_gso_add(&g, frame, 60), "a runt");
	EXPECT(!net_gso_add(&g, frame, seg6(1, 0, 0x10, 7)), "a pure ACK");

	EXPECT(net_gso_add(&g, frame, seg6(100, 1440, 0x10, 7)), "a start");
	n = seg6(100 + 1440, 1440, 0x10, 7);
	frame[14 + 3] = 0x46;		/* another flow label */
	EXPECT(!net_gso_add(&g, frame, n), "another flow label");
	n = seg6(100 + 1440, 1440, 0x10, 7);
	frame[14 + 7] = 63;
	EXPECT(!net_gso_add(&g, frame, n), "another hop limit");
	n = seg6(100 + 1440, 1440, 0x10, 7);
	frame[14 + 39] = 2;
	EXPECT(!net_gso_add(&g, frame, n), "another destination");
	EXPECT(!net_gso_add(&g, frame, seg(100 + 1440, 1440, 0x10, 7)),
	       "an IPv4 segment does not join an IPv6 batch");
	EXPECT(net_gso_add(&g, frame, seg6(100 + 1440, 1440, 0x10, 7)) &&
	       net_gso_take(&g, &segs, &mss) && segs == 2,
	       "the right continuation does");
	EXPECT(net_gso_add(&g, frame, seg(7, 1440, 0x10, 7)) &&
	       !net_gso_add(&g, frame, seg6(7 + 1440, 1440, 0x10, 7)),
	       "nor an IPv6 one an IPv4 batch");
	net_gso_take(&g, &segs, &mss);
}

static void limit(void)
{
	static struct net_gso g;
	unsigned int segs, mss;
	uint32_t seq = 1;
	int taken = 0;

	while (net_gso_add(&g, frame, seg(seq, MSS, 0x10, 7))) {
		seq += MSS;
		taken++;
	}
	EXPECT(taken == (NET_GSO_MAX - 54) / MSS && g.len <= NET_GSO_MAX,
	       "%d segments, %zu bytes", taken, g.len);
	EXPECT(net_gso_take(&g, &segs, &mss) <= NET_GSO_MAX && segs == (unsigned)taken,
	       "the batch stays within NET_GSO_MAX");
}

/* Chunks of a frame, as a pbuf chain holds it: copy_chunks reads them. */
static uint8_t chunk_a[54], chunk_b[MSS];

static void copy_chunks(void *ctx, size_t off, void *dst, size_t n)
{
	uint8_t *d = dst;

	(void)ctx;
	for (size_t i = 0; i < n; i++, off++)
		d[i] = off < sizeof(chunk_a) ? chunk_a[off] : chunk_b[off - 54];
}

/* from_pieces - a frame whose data is not contiguous with its headers
 * merges the same; headers cut short are refused. */
static void from_pieces(void)
{
	static struct net_gso g;
	unsigned int segs, mss;
	size_t n;
	int ok = 1;

	for (int i = 0; i < 3; i++) {
		n = seg(1 + (uint32_t)i * MSS, MSS, 0x10, 7);
		memcpy(chunk_a, frame, 54);
		memcpy(chunk_b, frame + 54, MSS);
		memset(frame + 54, 0xee, MSS);	/* must not be read */
		ok &= net_gso_add_from(&g, frame, 54, n, copy_chunks, NULL) == 1;
	}
	EXPECT(ok && g.segs == 3, "three segments in pieces taken");
	EXPECT(!net_gso_add_from(&g, frame, 53, n, copy_chunks, NULL),
	       "headers not all in the first piece: refused");
	EXPECT(!net_gso_add_from(&g, frame, 20, n, copy_chunks, NULL) &&
	       !net_gso_add_from(&g, frame, 14, n, copy_chunks, NULL),
	       "nor read past a first piece that ends in the IP header");
	n = net_gso_take(&g, &segs, &mss);
	for (size_t i = 0; i < n - 54; i++)
		ok &= g.buf[54 + i] == (uint8_t)(1 + i);
	EXPECT(ok && n == 54 + 3 * MSS, "the data came through the callback");
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(merge_run), UNIT(short_first), UNIT(refused),
		UNIT(merge_ipv6), UNIT(refused_ipv6), UNIT(limit),
		UNIT(from_pieces),
	};

	return RUN_UNITS("net_gso", units);
}
