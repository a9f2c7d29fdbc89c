/*
 * net/net_addr.h - the address lists net_init() and a vif's ip= take:
 * strict parsing of untrusted text into bytes (no lwIP types, so the
 * host unit tests compile it alone).
 *
 * A list is one or more addresses separated by spaces or commas: at
 * most one IPv4 "A.B.C.D[/N]" (N 0-32, default 24) and at most
 * NET_ADDR6_MAX IPv6 "X:X:...:X[/64]" (RFC 4291 text: hex groups of 1-4
 * digits, one "::" at most, no zone, no dotted IPv4 tail). An IPv6
 * prefix, if given, must be 64: lwIP takes every address's /64 as the
 * on-link prefix. A static IPv6 address must be unicast and not
 * link-local (the interface makes its own): ::, ::1, fe80::/10 and
 * ff00::/8 are refused.
 *
 * A gateway list has the same separators: at most one IPv4 "A.B.C.D"
 * and at most one IPv6 address, without prefix lengths. An IPv6
 * gateway may be link-local (routers usually are); ::, ::1 and
 * multicast are refused.
 */
#ifndef MINNOW_NET_ADDR_H
#define MINNOW_NET_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define NET_ADDR6_MAX	2	/* static IPv6 addresses in one list */

struct net_addr_list {
	int has4;			/* an IPv4 address was given */
	uint8_t addr4[4];
	uint8_t mask4[4];		/* from the prefix length */
	unsigned int n6;		/* IPv6 addresses given */
	uint8_t addr6[NET_ADDR6_MAX][16];
};

/* net_addr_parse4 - exactly n characters of s as a dotted quad (each
 * part 0-255, 1-3 digits). 0 and out[], or -EINVAL. */
int net_addr_parse4(const char *s, size_t n, uint8_t out[4]);

/* net_addr_parse6 - exactly n characters of s as an IPv6 address (text
 * form above). 0 and out[] (network order), or -EINVAL. */
int net_addr_parse6(const char *s, size_t n, uint8_t out[16]);

/* net_addr_parse_list - the whole string s as a list (above) into *out.
 * 0, or -EINVAL for anything else: an empty list, a malformed address,
 * a second IPv4 address, more than NET_ADDR6_MAX IPv6 ones, an IPv6
 * prefix other than 64, a refused IPv6 address. */
int net_addr_parse_list(const char *s, struct net_addr_list *out);

struct net_gateways {
	int has4;			/* an IPv4 gateway was given */
	uint8_t gw4[4];
	int has6;			/* an IPv6 gateway was given */
	uint8_t gw6[16];
};

/* net_addr_parse_gateways - the whole string s as a gateway list
 * (above) into *out. 0, or -EINVAL for anything else: an empty list, a
 * malformed or refused address, a prefix length, two of one family. */
int net_addr_parse_gateways(const char *s, struct net_gateways *out);

/* net_addr_on_link6 - can IPv6 address a be reached without a router,
 * given list l's static addresses: is it link-local, or in the /64 of
 * one of them? 1 or 0. */
int net_addr_on_link6(const uint8_t a[16], const struct net_addr_list *l);

/* net_addr_format6 - a in RFC 5952's text (lowercase, no leading zeros,
 * the longest run of two or more zero groups, the first of equals, as
 * "::") into buf (NET_ADDR6_TEXT bytes are enough). buf, or "" if size
 * is too small. */
#define NET_ADDR6_TEXT	40
char *net_addr_format6(const uint8_t a[16], char *buf, size_t size);

#endif
