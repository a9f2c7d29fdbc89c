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

/* ip_headers - the IP header length of frame f (len bytes, of which
 * the first avail may be read) if it is IPv4 TCP with no options, not a
 * fragment, or IPv6 TCP with no extension headers, and the IP length
 * covers exactly the rest of the frame: 20 or 40; else 0 (so also when
 * the IP header is not all readable). */
static size_t ip_headers(const uint8_t *f, size_t avail, size_t len)
{
	if (avail >= ETH + 20 && f[12] == 0x08 && f[13] == 0x00 &&
	    f[ETH] == 0x45 && f[ETH + 9] == 6 &&
	    ((size_t)f[ETH + 2] << 8 | f[ETH + 3]) == len - ETH &&
	    !(f[ETH + 6] & 0x3f) && !f[ETH + 7])	/* MF, offset */
		return 20;
	if (avail >= ETH + 40 && f[12] == 0x86 && f[13] == 0xdd &&
	    (f[ETH] >> 4) == 6 && f[ETH + 6] == 6 &&
	    ((size_t)f[ETH + 4] << 8 | f[ETH + 5]) == len - ETH - 40)
		return 40;
	return 0;
}

/* tcp_headers - the header length of frame f (as ip_headers) if it is
 * a mergeable TCP segment with data whose headers are all readable (see
 * net_gso.h), else 0; *iph gets its IP header length. */
static size_t tcp_headers(const uint8_t *f, size_t avail, size_t len,
			  size_t *iph)
{
	size_t thl, ip = ip_headers(f, avail, len);

	if (!ip || avail < ETH + ip + 20)
		return 0;
	thl = (size_t)(f[ETH + ip + 12] >> 4) * 4;
	if (thl < 20 || ETH + ip + thl >= len || ETH + ip + thl > avail)
		return 0;	/* no data, or options out of reach */
	if ((f[ETH + ip + 13] & ~TCP_PSH) != TCP_ACK)
		return 0;	/* SYN, FIN, RST, URG... go alone */
	*iph = ip;
	return ETH + ip + thl;
}

/* same_ip - do g's batch and frame f (of g's family) share the IP fields
 * that the merged frame keeps: addresses, and for IPv6 the traffic
 * class, flow label and hop limit too. */
static int same_ip(const struct net_gso *g, const uint8_t *f)
{
	const uint8_t *b = g->buf + ETH;

	f += ETH;
	if (g->iph == 20)
		return !memcmp(b + 12, f + 12, 8);
	return !memcmp(b, f, 4) && b[7] == f[7] && !memcmp(b + 8, f + 8, 32);
}

/* continues - does frame (headers of hlen bytes, IP's iph) follow g's
 * batch? */
static int continues(const struct net_gso *g, const uint8_t *f, size_t len,
		     size_t hlen, size_t iph)
{
	const uint8_t *bt = g->buf + ETH + iph, *ft = f + ETH + iph;

	return hlen == g->hlen && iph == g->iph &&
	       g->len + (len - hlen) <= NET_GSO_MAX &&
	       !memcmp(g->buf, f, ETH) &&		/* MACs, type */
	       same_ip(g, f) &&
	       !memcmp(bt, ft, 4) &&			/* ports */
	       get32(ft + 4) == g->next_seq &&
	       !memcmp(bt + 8, ft + 8, 5) &&		/* ack, offset */
	       !memcmp(bt + 14, ft + 14, 2) &&		/* window */
	       !memcmp(bt + 18, ft + 18, hlen - ETH - iph - 18); /* urg, opts */
}

int net_gso_add_from(struct net_gso *g, const uint8_t *frame,
		     size_t head_len, size_t len,
		     void (*copy)(void *ctx, size_t off, void *dst, size_t n),
		     void *ctx)
{
	size_t iph = 0, data;
	size_t hlen = tcp_headers(frame, head_len < len ? head_len : len, len,
				  &iph);

	if (!hlen || len > NET_GSO_MAX)
		return 0;
	data = len - hlen;
	if (!g->len) {
		if (data < NET_GSO_MIN_MSS)
			return 0;	/* the batch's mss would be too small */
		copy(ctx, 0, g->buf, len);
		g->len = len;
		g->hlen = hlen;
		g->iph = iph;
		g->segs = 1;
		g->mss = (unsigned int)data;
	} else if (continues(g, frame, len, hlen, iph)) {
		copy(ctx, hlen, g->buf + g->len, data);
		g->len += data;
		g->segs++;
		if (data > g->mss)
			g->mss = (unsigned int)data;
	} else {
		return 0;
	}
	g->psh |= !!(frame[ETH + iph + 13] & TCP_PSH);
	g->next_seq = get32(frame + ETH + iph + 4) + (uint32_t)data;
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
	if (g->segs > 1 && g->iph == 20) {
		ip[2] = (uint8_t)(ip_len >> 8);
		ip[3] = (uint8_t)ip_len;
		sum = ip_header_sum(ip);
		ip[10] = (uint8_t)(sum >> 8);
		ip[11] = (uint8_t)sum;
	} else if (g->segs > 1) {		/* IPv6: the payload length */
		ip[4] = (uint8_t)((ip_len - 40) >> 8);
		ip[5] = (uint8_t)(ip_len - 40);
	}
	if (g->segs > 1 && g->psh)
		ip[g->iph + 13] |= TCP_PSH;
	g->len = 0;
	g->segs = 0;
	g->psh = 0;
	return len;
}
