/*
 * net/net_gso.c - merging lwIP's TCP segments for GSO (see net_gso.h).
 */
#include <string.h>
#include "net/net_gso.h"

#define ETH	14
#define TCP_ACK	0x10
#define TCP_PSH	0x08

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* tcp_headers - frame's header length if it is a mergeable IPv4 TCP
 * segment with data (see net_gso.h), else 0. */
static size_t tcp_headers(const uint8_t *f, size_t len)
{
	size_t ip_len, thl;

	if (len < ETH + 40 || f[12] != 0x08 || f[13] != 0x00 ||
	    f[ETH] != 0x45 || f[ETH + 9] != 6)
		return 0;
	ip_len = (size_t)f[ETH + 2] << 8 | f[ETH + 3];
	if (ip_len != len - ETH || (f[ETH + 6] & 0x3f) || f[ETH + 7])
		return 0;	/* padded, or a fragment (MF or offset) */
	thl = (size_t)(f[ETH + 20 + 12] >> 4) * 4;
	if (thl < 20 || ETH + 20 + thl >= len)
		return 0;	/* no data */
	if ((f[ETH + 20 + 13] & ~TCP_PSH) != TCP_ACK)
		return 0;	/* SYN, FIN, RST, URG... go alone */
	return ETH + 20 + thl;
}

/* continues - does frame (headers of hlen bytes) follow g's batch? */
static int continues(const struct net_gso *g, const uint8_t *f, size_t len,
		     size_t hlen)
{
	const uint8_t *b = g->buf;
	const uint8_t *bt = b + ETH + 20, *ft = f + ETH + 20;

	return hlen == g->hlen && g->len + (len - hlen) <= NET_GSO_MAX &&
	       !memcmp(b, f, ETH) &&			/* MACs, type */
	       !memcmp(b + ETH + 12, f + ETH + 12, 8) &&	/* addresses */
	       !memcmp(bt, ft, 4) &&			/* ports */
	       get32(ft + 4) == g->next_seq &&
	       !memcmp(bt + 8, ft + 8, 5) &&		/* ack, offset */
	       !memcmp(bt + 14, ft + 14, 2) &&		/* window */
	       !memcmp(bt + 18, ft + 18, hlen - ETH - 20 - 18); /* urg, opts */
}

int net_gso_add_from(struct net_gso *g, const uint8_t *frame,
		     size_t head_len, size_t len,
		     void (*copy)(void *ctx, size_t off, void *dst, size_t n),
		     void *ctx)
{
	size_t hlen = tcp_headers(frame, len), data;

	if (!hlen || hlen > head_len || len > NET_GSO_MAX)
		return 0;
	data = len - hlen;
	if (!g->len) {
		if (data < NET_GSO_MIN_MSS)
			return 0;	/* the batch's mss would be too small */
		copy(ctx, 0, g->buf, len);
		g->len = len;
		g->hlen = hlen;
		g->segs = 1;
		g->mss = (unsigned int)data;
	} else if (continues(g, frame, len, hlen)) {
		copy(ctx, hlen, g->buf + g->len, data);
		g->len += data;
		g->segs++;
		if (data > g->mss)
			g->mss = (unsigned int)data;
	} else {
		return 0;
	}
	g->psh |= !!(frame[ETH + 20 + 13] & TCP_PSH);
	g->next_seq = get32(frame + ETH + 20 + 4) + (uint32_t)data;
	return 1;
}

/* copy_flat - net_gso_add's copy: from a contiguous frame. */
static void copy_flat(void *ctx, size_t off, void *dst, size_t n)
{
	memcpy(dst, (const uint8_t *)ctx + off, n);
}

int net_gso_add(struct net_gso *g, const uint8_t *frame, size_t len)
{
	return net_gso_add_from(g, frame, len, len, copy_flat, (void *)frame);
}

/* ip_header_sum - the IPv4 header checksum of h (20 bytes). */
static uint16_t ip_header_sum(const uint8_t *h)
{
	uint32_t s = 0;

	for (int i = 0; i < 20; i += 2)
		if (i != 10)
			s += (uint32_t)h[i] << 8 | h[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

size_t net_gso_take(struct net_gso *g, unsigned int *segs, unsigned int *mss)
{
	size_t len = g->len, ip_len = len - ETH;
	uint8_t *ip = g->buf + ETH;
	uint16_t sum;

	*segs = g->segs;
	*mss = g->mss;
	if (!len)
		return 0;
	if (g->segs > 1) {
		ip[2] = (uint8_t)(ip_len >> 8);
		ip[3] = (uint8_t)ip_len;
		sum = ip_header_sum(ip);
		ip[10] = (uint8_t)(sum >> 8);
		ip[11] = (uint8_t)sum;
		if (g->psh)
			ip[20 + 13] |= TCP_PSH;
	}
	g->len = 0;
	g->segs = 0;
	g->psh = 0;
	return len;
}
