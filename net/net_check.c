/*
 * net/net_check.c - received frames checked before lwIP (net_check.h).
 */
#include "net/net_check.h"

#define ETH_HLEN	14

/* be16 - the big-endian 16-bit value at p. */
static unsigned int be16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

/* ip_sum - the ones' complement sum of n bytes (n even), folded. */
static unsigned int ip_sum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += be16(p + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/* check_arp - an ARP packet of n bytes: Ethernet/IPv4, all there. */
static enum net_check_verdict check_arp(const uint8_t *a, size_t n)
{
	if (n < 28)
		return NET_CHECK_ARP;
	if (be16(a) != 1 || be16(a + 2) != 0x0800 || a[4] != 6 || a[5] != 4)
		return NET_CHECK_ARP;
	return NET_CHECK_OK;
}

/* check_l4 - the TCP/UDP header of a whole (unfragmented or first
 * fragment) packet: seg bytes from l4, of which the IP packet holds
 * all when whole is set. *trim: bytes of IP payload past the UDP
 * datagram. */
static enum net_check_verdict check_l4(uint8_t proto, const uint8_t *l4,
				       size_t seg, int whole, size_t *trim)
{
	*trim = 0;
	if (proto == 6) {
		unsigned int off;

		if (seg < 20)
			return NET_CHECK_L4;
		off = (unsigned int)(l4[12] >> 4) * 4;
		if (off < 20 || (whole && off > seg))
			return NET_CHECK_L4;
	} else if (proto == 17) {
		unsigned int ulen;

		if (seg < 8)
			return NET_CHECK_L4;
		ulen = be16(l4 + 4);
		if (whole && (ulen < 8 || ulen > seg))
			return NET_CHECK_L4;
		if (whole)
			*trim = seg - ulen;
	}
	return NET_CHECK_OK;
}

/* trim_ip - lower the IP total length by cut bytes and fix the header
 * checksum (ihl bytes of header at ip). */
static void trim_ip(uint8_t *ip, size_t ihl, unsigned int cut)
{
	unsigned int tot = be16(ip + 2) - cut, sum;

	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[10] = ip[11] = 0;
	sum = ~ip_sum(ip, ihl) & 0xffff;
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
}

/* check_ipv4 - the IPv4 packet of n bytes (after Ethernet) at ip. */
static enum net_check_verdict check_ipv4(uint8_t *ip, size_t n, size_t *cut)
{
	size_t ihl, tot, trim;
	unsigned int frag;
	enum net_check_verdict v;

	*cut = 0;
	if (n < 20)
		return NET_CHECK_RUNT;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ip[0] >> 4 != 4 || ihl < 20 || ihl > n)
		return NET_CHECK_IP;
	tot = be16(ip + 2);
	if (tot < ihl || tot > n)
		return NET_CHECK_IP;
	if (ip_sum(ip, ihl) != 0xffff)
		return NET_CHECK_IP;
	frag = be16(ip + 6);
	if (frag & 0x1fff)		/* a later fragment: no L4 header */
		return NET_CHECK_OK;
	v = check_l4(ip[9], ip + ihl, tot - ihl, !(frag & 0x2000), &trim);
	if (v == NET_CHECK_OK && trim) {
		trim_ip(ip, ihl, (unsigned int)trim);
		*cut = n - (tot - trim);
	}
	return v;
}

/* IPv6 extension headers the walk goes through (RFC 8200 4.1). */
#define NH_HOP		0
#define NH_ROUTING	43
#define NH_FRAGMENT	44
#define NH_DSTOPTS	60
#define IP6_HLEN	40
#define IP6_MAX_EXT	8	/* more in one packet: refused */

/* ext_len - the length of extension header h (nh says which) within
 * avail bytes, or 0 if it does not fit. */
static size_t ext_len(uint8_t nh, const uint8_t *h, size_t avail)
{
	size_t len;

	if (avail < 8)
		return 0;
	len = nh == NH_FRAGMENT ? 8 : ((size_t)h[1] + 1) * 8;
	return len <= avail ? len : 0;
}

/* check_ipv6 - the IPv6 packet of n bytes (after Ethernet) at ip: the
 * fixed header, the extension headers up to the upper layer, then as
 * check_l4. A UDP datagram shorter than its payload lowers the payload
 * length and *cut as for IPv4. */
static enum net_check_verdict check_ipv6(uint8_t *ip, size_t n, size_t *cut)
{
	size_t plen, off = IP6_HLEN, trim;
	uint8_t nh;
	int whole = 1;
	enum net_check_verdict v;

	*cut = 0;
	if (n < IP6_HLEN)
		return NET_CHECK_RUNT;
	plen = be16(ip + 4);
	if (ip[0] >> 4 != 6 || IP6_HLEN + plen > n)
		return NET_CHECK_IP;
	nh = ip[6];
	for (int k = 0; ; k++) {
		size_t len;

		if (nh != NH_HOP && nh != NH_ROUTING && nh != NH_FRAGMENT &&
		    nh != NH_DSTOPTS)
			break;
		if ((nh == NH_HOP && k) || k == IP6_MAX_EXT)
			return NET_CHECK_IP;
		len = ext_len(nh, ip + off, IP6_HLEN + plen - off);
		if (!len)
			return NET_CHECK_IP;
		if (nh == NH_FRAGMENT) {
			if (be16(ip + off + 2) & 0xfff8)
				return NET_CHECK_OK; /* a later fragment */
			whole = !(ip[off + 3] & 1);
		}
		nh = ip[off];
		off += len;
	}
	v = check_l4(nh, ip + off, IP6_HLEN + plen - off, whole, &trim);
	if (v == NET_CHECK_OK && trim) {
		plen -= trim;
		ip[4] = (uint8_t)(plen >> 8);
		ip[5] = (uint8_t)plen;
		*cut = n - (IP6_HLEN + plen);
	}
	return v;
}

enum net_check_verdict net_check_frame(uint8_t *frame, size_t *len,
				       unsigned int mtu)
{
	size_t cut = 0;
	enum net_check_verdict v;

	if (*len < ETH_HLEN)
		return NET_CHECK_RUNT;
	if (*len > (size_t)mtu + ETH_HLEN)
		return NET_CHECK_OVERSIZE;
	switch (be16(frame + 12)) {
	case 0x0806:
		return check_arp(frame + ETH_HLEN, *len - ETH_HLEN);
	case 0x0800:
		v = check_ipv4(frame + ETH_HLEN, *len - ETH_HLEN, &cut);
		if (v == NET_CHECK_OK)
			*len -= cut;
		return v;
	case 0x86dd:
		v = check_ipv6(frame + ETH_HLEN, *len - ETH_HLEN, &cut);
		if (v == NET_CHECK_OK)
			*len -= cut;
		return v;
	default:
		return NET_CHECK_ETHERTYPE;
	}
}

const char *net_check_name(enum net_check_verdict v)
{
	static const char *const names[NET_CHECK_VERDICTS] = {
		"ok", "runt", "oversize", "ethertype", "arp", "ip", "l4",
	};

	return (unsigned int)v < NET_CHECK_VERDICTS ? names[v] : "?";
}
