/*
 * net/net_csum.c - TCP/UDP checksums of IPv4 and IPv6 Ethernet frames (RFC 1071
 * one's-complement sums over the pseudo-header and the segment).
 */
#include <errno.h>
#include "net/net_csum.h"

#define ETH_HLEN	14
#define PROTO_TCP	6
#define PROTO_UDP	17
#define IP6_HLEN	40

/* get16 / put16 - a big-endian 16-bit field. */
static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * sum_native - the one's-complement sum of len bytes taken as 16-bit
 * words in the machine's byte order (an odd last byte padded with zero),
 * folded to 16 bits. RFC 1071: summing in either byte order gives the
 * same sum with its bytes swapped, so 8 bytes at a time and one swap at
 * the end give the big-endian sum; the carries out of each 64-bit add
 * are added back in (end-around carry).
 */
static uint16_t sum_native(const uint8_t *p, size_t len)
{
	uint64_t sum = 0, w;
	uint32_t v;
	uint16_t h;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		__builtin_memcpy(&w, p + i, 8);
		sum += w;
		sum += sum < w;
	}
	sum = (sum & 0xffffffff) + (sum >> 32);	/* < 2^33: the rest fits */
	if (len - i >= 4) {
		__builtin_memcpy(&v, p + i, 4);
		sum += v;
		i += 4;
	}
	if (len - i >= 2) {
		__builtin_memcpy(&h, p + i, 2);
		sum += h;
		i += 2;
	}
	if (i < len) {		/* the odd byte: first in its padded word */
		uint8_t last[2] = { p[i], 0 };

		__builtin_memcpy(&h, last, 2);
		sum += h;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* sum_bytes - add len bytes as big-endian 16-bit words to sum (an odd
 * last byte is padded with zero). Returns a 32-bit running sum. */
static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t len)
{
	uint16_t s = sum_native(p, len);

	if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
		s = __builtin_bswap16(s);
	return sum + s;
}

/* fold - a 32-bit running sum folded to 16 bits (not complemented). */
static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* set_l4 - *out for a TCP/UDP segment of l4_len bytes at l4_off, its
 * header checked against avail bytes (and UDP's length field bounding
 * it). 0 or -EINVAL. */
static int set_l4(const uint8_t *f, size_t avail, uint8_t proto,
		  size_t l4_off, size_t l4_len, struct net_csum_l4 *out)
{
	size_t min = proto == PROTO_TCP ? 20 : 8;

	out->proto = proto;
	out->l4_off = l4_off;
	out->l4_len = l4_len;
	out->check_off = l4_off + (proto == PROTO_TCP ? 16 : 6);
	if (l4_len < min || l4_off + min > avail)
		return -EINVAL;
	if (proto == PROTO_UDP) {	/* UDP's own length bounds it */
		size_t ulen = get16(f + l4_off + 4);

		if (ulen < 8 || ulen > l4_len)
			return -EINVAL;
		out->l4_len = ulen;
	}
	return 0;
}

/* locate6 - locate() for IPv6: the fixed header, then hop-by-hop,
 * destination options and routing headers (a routing header with
 * segments left, or a fragment header: NET_CSUM_NONE, lwIP handles or
 * drops those) up to TCP/UDP. */
static int locate6(const uint8_t *f, size_t avail, size_t frame_len,
		   struct net_csum_l4 *out)
{
	size_t plen, off = ETH_HLEN + IP6_HLEN, end;
	uint8_t nh;

	if (avail < ETH_HLEN + IP6_HLEN)
		return -EINVAL;
	plen = get16(f + ETH_HLEN + 4);
	end = ETH_HLEN + IP6_HLEN + plen;
	if ((f[ETH_HLEN] >> 4) != 6 || end > frame_len)
		return -EINVAL;
	nh = f[ETH_HLEN + 6];
	for (int k = 0; nh == 0 || nh == 43 || nh == 60; k++) {
		size_t len;

		if (k == 8 || off + 8 > avail || off + 8 > end)
			return -EINVAL;
		len = ((size_t)f[off + 1] + 1) * 8;
		if (off + len > end)
			return -EINVAL;
		if (nh == 43 && f[off + 3])	/* segments left */
			return NET_CSUM_NONE;
		nh = f[off];
		off += len;
	}
	if (nh != PROTO_TCP && nh != PROTO_UDP)
		return NET_CSUM_NONE;
	out->ip_off = ETH_HLEN;
	out->ipv6 = 1;
	return set_l4(f, avail, nh, off, end - off, out);
}

/* locate - net_csum_locate, with the headers checked against avail
 * bytes and the IP total length against frame_len (>= avail). */
static int locate(const uint8_t *f, size_t avail, size_t frame_len,
		  struct net_csum_l4 *out)
{
	const uint8_t *ip = f + ETH_HLEN;
	size_t ihl, total;

	if (avail >= ETH_HLEN && get16(f + 12) == 0x86dd)
		return locate6(f, avail, frame_len, out);
	if (avail < ETH_HLEN || get16(f + 12) != 0x0800)
		return NET_CSUM_NONE;
	if (avail < ETH_HLEN + 20)
		return -EINVAL;
	ihl = (size_t)(ip[0] & 15) * 4;
	total = get16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < 20 || ETH_HLEN + ihl > avail ||
	    total < ihl || ETH_HLEN + total > frame_len)
		return -EINVAL;
	if (get16(ip + 6) & 0x3fff)	/* MF set or an offset: a fragment */
		return NET_CSUM_NONE;
	if (ip[9] != PROTO_TCP && ip[9] != PROTO_UDP)
		return NET_CSUM_NONE;
	out->ip_off = ETH_HLEN;
	out->ipv6 = 0;
	return set_l4(f, avail, ip[9], ETH_HLEN + ihl, total - ihl, out);
}

int net_csum_tcp_fragment(const void *frame, size_t len)
{
	const uint8_t *f = frame, *ip = f + ETH_HLEN;
	size_t off = IP6_HLEN;
	uint8_t nh;

	if (len >= ETH_HLEN + 20 && get16(f + 12) == 0x0800)
		return ip[9] == PROTO_TCP && (get16(ip + 6) & 0x3fff);
	if (len < ETH_HLEN + IP6_HLEN || get16(f + 12) != 0x86dd)
		return 0;
	nh = ip[6];
	for (int k = 0; k < 8 && ETH_HLEN + off + 8 <= len; k++) {
		if (nh == 44)
			return ip[off] == PROTO_TCP;
		if (nh != 0 && nh != 43 && nh != 60)
			return 0;
		nh = ip[off];
		off += ((size_t)ip[off + 1] + 1) * 8;
	}
	return 0;
}

int net_csum_locate(const void *frame, size_t len, struct net_csum_l4 *out)
{
	return locate(frame, len, len, out);
}

/* pseudo - the running sum of segment l's pseudo-header: IPv4's
 * addresses, protocol and length; IPv6's addresses, upper-layer length
 * and next header (RFC 8200 8.1: the same sum, as l4_len < 2^16). */
static uint32_t pseudo(const uint8_t *f, const struct net_csum_l4 *l)
{
	uint32_t sum = l->ipv6 ? sum_bytes(0, f + l->ip_off + 8, 32) :
				 sum_bytes(0, f + l->ip_off + 12, 8);

	return sum + l->proto + (uint32_t)l->l4_len;
}

/* final - the checksum to store for a full sum (UDP sends 0 as ffff). */
static uint16_t final(uint32_t sum, const struct net_csum_l4 *l)
{
	uint16_t c = (uint16_t)~fold(sum);

	return c == 0 && l->proto == PROTO_UDP ? 0xffff : c;
}

int net_csum_verify(const void *frame, size_t len)
{
	const uint8_t *f = frame;
	struct net_csum_l4 l;
	int rc = locate(f, len, len, &l);

	if (rc)
		return rc;
	if (l.proto == PROTO_UDP && get16(f + l.check_off) == 0)
		return l.ipv6 ? -EBADMSG : 0;	/* IPv4 may omit it */
	if (fold(pseudo(f, &l) + sum_bytes(0, f + l.l4_off, l.l4_len)) != 0xffff)
		return -EBADMSG;
	return 0;
}

int net_csum_complete(void *frame, size_t len)
{
	uint8_t *f = frame;
	struct net_csum_l4 l;
	int rc = locate(f, len, len, &l);

	if (rc)
		return rc;
	/* The field holds the pseudo-header sum: the segment's sum is all. */
	put16(f + l.check_off, final(sum_bytes(0, f + l.l4_off, l.l4_len), &l));
	return 0;
}

int net_csum_fill(void *frame, size_t len)
{
	uint8_t *f = frame;
	struct net_csum_l4 l;
	int rc = locate(f, len, len, &l);

	if (rc)
		return rc;
	put16(f + l.check_off, 0);
	put16(f + l.check_off, final(pseudo(f, &l) +
			       sum_bytes(0, f + l.l4_off, l.l4_len), &l));
	return 0;
}

int net_csum_prepare_partial(void *hdr, size_t hdr_len, size_t frame_len)
{
	uint8_t *f = hdr;
	struct net_csum_l4 l;
	int rc;

	if (hdr_len > frame_len)
		return -EINVAL;
	rc = locate(f, hdr_len, frame_len, &l);
	if (rc)
		return rc;
	put16(f + l.check_off, fold(pseudo(f, &l)));
	return 0;
}
