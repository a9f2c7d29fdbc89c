/*
 * net/net_addr.c - address lists (net_addr.h).
 */
#include <errno.h>
#include <string.h>
#include "net/net_addr.h"

int net_addr_parse4(const char *s, size_t n, uint8_t out[4])
{
	unsigned int part[4] = { 0 }, k = 0, digits = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' && digits && k < 3) {
			k++;
			digits = 0;
		} else if (s[i] >= '0' && s[i] <= '9' && digits < 3) {
			part[k] = part[k] * 10 + (unsigned int)(s[i] - '0');
			digits++;
		} else {
			return -EINVAL;
		}
	}
	if (k != 3 || !digits)
		return -EINVAL;
	for (k = 0; k < 4; k++) {
		if (part[k] > 255)
			return -EINVAL;
		out[k] = (uint8_t)part[k];
	}
	return 0;
}

/* hex - the value of hex digit c, or -1. */
static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* groups - the ':'-separated hex groups of s[0..n) into g (at most max,
 * none empty); their count, or -1. n == 0 gives 0 groups. */
static int groups(const char *s, size_t n, uint16_t *g, int max)
{
	int count = 0;
	size_t i = 0;

	if (!n)
		return 0;
	for (;;) {
		unsigned int v = 0, digits = 0;

		for (; i < n && s[i] != ':'; i++) {
			if (hex(s[i]) < 0 || ++digits > 4)
				return -1;
			v = v << 4 | (unsigned int)hex(s[i]);
		}
		if (!digits || count == max)
			return -1;
		g[count++] = (uint16_t)v;
		if (i == n)
			return count;
		i++;			/* the ':' */
		if (i == n)
			return -1;	/* a trailing single ':' */
	}
}

int net_addr_parse6(const char *s, size_t n, uint8_t out[16])
{
	uint16_t head[8], tail[8], w[8] = { 0 };
	const char *gap = NULL;
	int nh, nt;

	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] == ':' && s[i + 1] == ':') {
			if (gap)
				return -EINVAL;		/* two "::" */
			gap = s + i;
			i++;
		}
	}
	if (!gap) {
		if (groups(s, n, w, 8) != 8)
			return -EINVAL;
	} else {
		size_t hn = (size_t)(gap - s), tn = n - hn - 2;

		nh = groups(s, hn, head, 7);
		nt = groups(gap + 2, tn, tail, 7);
		if (nh < 0 || nt < 0 || nh + nt > 7)
			return -EINVAL;
		memcpy(w, head, (size_t)nh * sizeof(w[0]));
		memcpy(w + 8 - nt, tail, (size_t)nt * sizeof(w[0]));
	}
	for (int k = 0; k < 8; k++) {
		out[2 * k] = (uint8_t)(w[k] >> 8);
		out[2 * k + 1] = (uint8_t)w[k];
	}
	return 0;
}

/* prefix_len - the digits after a '/' (s, n chars: 1-2 digits) as a
 * number up to max; -1 if not. */
static int prefix_len(const char *s, size_t n, int max)
{
	int v = 0;

	if (n < 1 || n > 2)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

/* unicast6 - a is an IPv6 unicast address other than :: and ::1. */
static int unicast6(const uint8_t a[16])
{
	static const uint8_t zero[15];

	return a[0] != 0xff && (memcmp(a, zero, 15) || a[15] > 1);
}

/* link_local6 - a is in fe80::/10. */
static int link_local6(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* static6_ok - a usable static IPv6 address: not unspecified, loopback,
 * link-local or multicast. */
static int static6_ok(const uint8_t a[16])
{
	return unicast6(a) && !link_local6(a);
}

/* add_one - the token s[0..n) into *out. 0 or -EINVAL. */
static int add_one(const char *s, size_t n, struct net_addr_list *out)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	size_t pn = slash ? n - an - 1 : 0;
	int bits;

	if (memchr(s, ':', an)) {
		if (out->n6 == NET_ADDR6_MAX ||
		    net_addr_parse6(s, an, out->addr6[out->n6]) ||
		    !static6_ok(out->addr6[out->n6]) ||
		    (slash && prefix_len(slash + 1, pn, 128) != 64))
			return -EINVAL;
		out->n6++;
		return 0;
	}
	bits = slash ? prefix_len(slash + 1, pn, 32) : 24;
	if (out->has4 || bits < 0 || net_addr_parse4(s, an, out->addr4))
		return -EINVAL;
	for (int k = 0; k < 4; k++) {
		int b = bits - 8 * k;

		out->mask4[k] = b >= 8 ? 0xff : b <= 0 ? 0 :
				(uint8_t)(0xff << (8 - b));
	}
	out->has4 = 1;
	return 0;
}

/* each_token - fn(token, its length, ctx) for each token of s between
 * spaces and commas, in order: 0, or -EINVAL once fn returns non-zero. */
static int each_token(const char *s, int (*fn)(const char *, size_t, void *),
		      void *ctx)
{
	size_t i = 0;

	while (s[i]) {
		size_t n = strcspn(s + i, " ,");

		if (n && fn(s + i, n, ctx))
			return -EINVAL;
		i += n;
		if (s[i])
			i++;		/* the separator */
	}
	return 0;
}

/* add_token - each_token's callback for an address list. */
static int add_token(const char *s, size_t n, void *ctx)
{
	return add_one(s, n, ctx);
}

int net_addr_parse_list(const char *s, struct net_addr_list *out)
{
	memset(out, 0, sizeof(*out));
	if (each_token(s, add_token, out))
		return -EINVAL;
	return out->has4 || out->n6 ? 0 : -EINVAL;
}

/* add_gateway - each_token's callback for a gateway list. */
static int add_gateway(const char *s, size_t n, void *ctx)
{
	struct net_gateways *g = ctx;

	if (memchr(s, '/', n))
		return -EINVAL;
	if (!memchr(s, ':', n)) {
		if (g->has4 || net_addr_parse4(s, n, g->gw4))
			return -EINVAL;
		g->has4 = 1;
		return 0;
	}
	if (g->has6 || net_addr_parse6(s, n, g->gw6) || !unicast6(g->gw6))
		return -EINVAL;
	g->has6 = 1;
	return 0;
}

int net_addr_parse_gateways(const char *s, struct net_gateways *out)
{
	memset(out, 0, sizeof(*out));
	if (each_token(s, add_gateway, out))
		return -EINVAL;
	return out->has4 || out->has6 ? 0 : -EINVAL;
}

int net_addr_on_link6(const uint8_t a[16], const struct net_addr_list *l)
{
	if (link_local6(a))
		return 1;
	for (unsigned int i = 0; i < l->n6 && i < NET_ADDR6_MAX; i++)
		if (!memcmp(a, l->addr6[i], 8))
			return 1;
	return 0;
}

/* zero_run - the longest run of two or more zero groups in w: its start
 * in *at and its length (0: none). */
static int zero_run(const uint16_t w[8], int *at)
{
	int best = 0;

	for (int i = 0; i < 8; ) {
		int j = i;

		while (j < 8 && !w[j])
			j++;
		if (j - i > best && j - i >= 2) {
			best = j - i;
			*at = i;
		}
		i = j > i ? j : i + 1;
	}
	return best;
}

char *net_addr_format6(const uint8_t a[16], char *buf, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	uint16_t w[8];
	char tmp[NET_ADDR6_TEXT], *p = tmp;
	int at = -1, run;

	for (int k = 0; k < 8; k++)
		w[k] = (uint16_t)(a[2 * k] << 8 | a[2 * k + 1]);
	run = zero_run(w, &at);
	for (int k = 0; k < 8; k++) {
		if (k == at) {
			*p++ = ':';
			*p++ = ':';
			k += run - 1;
			continue;
		}
		if (k && k != at + run)
			*p++ = ':';
		for (int shift = 12, lead = 1; shift >= 0; shift -= 4) {
			unsigned int d = (unsigned int)(w[k] >> shift) & 15;

			if (lead && d == 0 && shift)
				continue;
			lead = 0;
			*p++ = digits[d];
		}
	}
	*p = 0;
	if ((size_t)(p - tmp) + 1 > size) {
		if (size)
			buf[0] = 0;
		return buf;
	}
	memcpy(buf, tmp, (size_t)(p - tmp) + 1);
	return buf;
}
