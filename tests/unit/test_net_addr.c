/*
 * test_net_addr.c - address lists: IPv6 text forms against the bytes
 * they mean, every malformed form refused, lists with their limits, and
 * random strings never read past their end (heap copies under ASan).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "net/net_addr.c"
#include "unit.h"

/* p6 - net_addr_parse6 on a heap copy of s without its NUL. */
static int p6(const char *s, uint8_t out[16])
{
	size_t n = strlen(s);
	char *b = malloc(n ? n : 1);
	int rc;

	memcpy(b, s, n);
	rc = net_addr_parse6(b, n, out);
	free(b);
	return rc;
}

static void ipv6_forms(void)
{
	static const struct { const char *text; uint8_t bytes[16]; } ok[] = {
		{ "fd00::61", { 0xfd, [15] = 0x61 } },
		{ "::", { 0 } },
		{ "::1", { [15] = 1 } },
		{ "fe80::", { 0xfe, 0x80 } },
		{ "2001:db8:0:0:1:0:0:1",
		  { 0x20, 0x01, 0x0d, 0xb8, [9] = 1, [15] = 1 } },
		{ "2001:DB8::a:B:c", { 0x20, 0x01, 0x0d, 0xb8, [11] = 0xa,
				       [13] = 0xb, [15] = 0xc } },
		{ "1:2:3:4:5:6:7::", { 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6,
				       0, 7, 0, 0 } },
		{ "::2:3:4:5:6:7:8", { 0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6,
				       0, 7, 0, 8 } },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		  { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		    0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
	};
	static const char *const bad[] = {
		"", ":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
		"1::2::3", "12345::", "fd00:::1", ":1::", "1::2:", "fd00::g",
		"fd00::1%eth0", "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8::",
		"::1:2:3:4:5:6:7:8", "fd00: :1", "1:2:3:4:5:6:7:",
	};
	uint8_t out[16];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		EXPECT(p6(ok[i].text, out) == 0 &&
		       !memcmp(out, ok[i].bytes, 16), "%s", ok[i].text);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT(p6(bad[i], out) == -EINVAL, "\"%s\" passed", bad[i]);
}

static void ipv4_forms(void)
{
	uint8_t out[4];

	EXPECT(net_addr_parse4("10.0.0.255", 10, out) == 0 && out[0] == 10 &&
	       out[3] == 255, "dotted quad");
	EXPECT(net_addr_parse4("10.0.0.256", 10, out) == -EINVAL, "256");
	EXPECT(net_addr_parse4("10.0.0", 6, out) == -EINVAL, "three parts");
	EXPECT(net_addr_parse4("10.0.0.0001", 11, out) == -EINVAL, "4 digits");
	EXPECT(net_addr_parse4("10..0.1", 7, out) == -EINVAL, "empty part");
	EXPECT(net_addr_parse4("10.0.0.1", 7, out) == -EINVAL,
	       "n bounds the text");
}

static void lists(void)
{
	struct net_addr_list l;

	EXPECT(net_addr_parse_list("10.0.0.5/16", &l) == 0 && l.has4 &&
	       l.addr4[3] == 5 && l.mask4[1] == 0xff && l.mask4[2] == 0 &&
	       !l.n6, "IPv4 /16");
	EXPECT(net_addr_parse_list("10.0.0.5", &l) == 0 && l.mask4[2] == 0xff &&
	       l.mask4[3] == 0, "IPv4 defaults to /24");
	EXPECT(net_addr_parse_list("10.0.0.5/27", &l) == 0 &&
	       l.mask4[3] == 0xe0, "IPv4 /27");
	EXPECT(net_addr_parse_list("10.0.0.5/0", &l) == 0 && l.mask4[0] == 0,
	       "IPv4 /0");
	EXPECT(net_addr_parse_list("10.0.0.5/24,fd00::5/64 fd01::5", &l) == 0 &&
	       l.has4 && l.n6 == 2 && l.addr6[0][15] == 5 &&
	       l.addr6[1][1] == 1, "both families");
	EXPECT(net_addr_parse_list("fd00::5", &l) == 0 && !l.has4 && l.n6 == 1,
	       "IPv6 only");
	EXPECT(net_addr_parse_list(" 10.0.0.5 ", &l) == 0, "spaces around");
	EXPECT(net_addr_parse_list("", &l) == -EINVAL, "empty");
	EXPECT(net_addr_parse_list(" , ", &l) == -EINVAL, "only separators");
	EXPECT(net_addr_parse_list("10.0.0.5 10.0.0.6", &l) == -EINVAL,
	       "two IPv4");
	EXPECT(net_addr_parse_list("fd00::1 fd00::2 fd00::3", &l) == -EINVAL,
	       "three IPv6");
	EXPECT(net_addr_parse_list("fd00::1/48", &l) == -EINVAL, "/48");
	EXPECT(net_addr_parse_list("fd00::1/", &l) == -EINVAL, "empty prefix");
	EXPECT(net_addr_parse_list("fd00::1/640", &l) == -EINVAL, "/640");
	EXPECT(net_addr_parse_list("10.0.0.1/33", &l) == -EINVAL, "/33");
	EXPECT(net_addr_parse_list("10.0.0.1/2x", &l) == -EINVAL, "/2x");
	EXPECT(net_addr_parse_list("fe80::1", &l) == -EINVAL, "link-local");
	EXPECT(net_addr_parse_list("febf::1", &l) == -EINVAL, "link-local /10");
	EXPECT(net_addr_parse_list("fec0::1", &l) == 0, "site-local is unicast");
	EXPECT(net_addr_parse_list("ff02::1", &l) == -EINVAL, "multicast");
	EXPECT(net_addr_parse_list("::", &l) == -EINVAL, "unspecified");
	EXPECT(net_addr_parse_list("::1", &l) == -EINVAL, "loopback");
	EXPECT(net_addr_parse_list("10.0.0.1;", &l) == -EINVAL, "junk");
}

/* gateways - one of each family at most, no prefix, link-local IPv6
 * allowed; on-link means link-local or in a static address's /64. */
static void gateways(void)
{
	struct net_gateways g;
	struct net_addr_list l;
	uint8_t a[16];

	EXPECT(net_addr_parse_gateways("10.0.0.1,fd00::1", &g) == 0 &&
	       g.has4 && g.has6 && g.gw4[3] == 1 && g.gw6[0] == 0xfd &&
	       g.gw6[15] == 1, "one of each");
	EXPECT(net_addr_parse_gateways(" fe80::1 ", &g) == 0 && !g.has4 &&
	       g.has6, "a link-local one alone");
	EXPECT(net_addr_parse_gateways("10.0.0.1", &g) == 0 && g.has4 &&
	       !g.has6, "IPv4 alone (what net_init took before)");
	EXPECT(net_addr_parse_gateways("", &g) == -EINVAL &&
	       net_addr_parse_gateways(",", &g) == -EINVAL, "empty");
	EXPECT(net_addr_parse_gateways("10.0.0.1 10.0.0.2", &g) == -EINVAL &&
	       net_addr_parse_gateways("fd00::1 fe80::1", &g) == -EINVAL,
	       "two of a family");
	EXPECT(net_addr_parse_gateways("10.0.0.1/24", &g) == -EINVAL &&
	       net_addr_parse_gateways("fd00::1/64", &g) == -EINVAL,
	       "a prefix length");
	EXPECT(net_addr_parse_gateways("::", &g) == -EINVAL &&
	       net_addr_parse_gateways("::1", &g) == -EINVAL &&
	       net_addr_parse_gateways("ff02::2", &g) == -EINVAL,
	       "unspecified, loopback, multicast");
	EXPECT(net_addr_parse_gateways("fd00::1;", &g) == -EINVAL, "junk");

	net_addr_parse_list("10.0.0.5/24,fd00::5,fd01:0:0:7::5", &l);
	EXPECT(p6("fd00::1", a) == 0 && net_addr_on_link6(a, &l) &&
	       p6("fd01:0:0:7:ffff::", a) == 0 && net_addr_on_link6(a, &l) &&
	       p6("fe80::9", a) == 0 && net_addr_on_link6(a, &l),
	       "in a static /64, or link-local: on link");
	EXPECT(p6("fd00:0:0:1::1", a) == 0 && !net_addr_on_link6(a, &l) &&
	       p6("fd02::1", a) == 0 && !net_addr_on_link6(a, &l),
	       "another /64: not on link");
	net_addr_parse_list("10.0.0.5/24", &l);
	EXPECT(p6("fd00::1", a) == 0 && !net_addr_on_link6(a, &l),
	       "no static IPv6 address: only link-local is on link");
}

static void format6(void)
{
	static const char *const canon[] = {
		"2001:db8::1", "2001:db8:0:1:1:1:1:1", "2001:0:0:1::1",
		"2001:db8::1:0:0:1", "::", "::1", "1::", "fe80::216:3eff:fe00:1",
		"1:2:3:4:5:6:7:8", "ffff::ffff:0:0:0", "0:1::", "1:0:2::3",
	};
	char text[NET_ADDR6_TEXT], small[8];
	uint8_t a[16], b[16];

	for (size_t i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		EXPECT(p6(canon[i], a) == 0, "parse %s", canon[i]);
		net_addr_format6(a, text, sizeof(text));
		EXPECT(!strcmp(text, canon[i]), "%s came out as %s", canon[i],
		       text);
	}
	p6("2001:DB8:0000:0:0:0:00:0001", a);
	EXPECT(!strcmp(net_addr_format6(a, text, sizeof(text)), "2001:db8::1"),
	       "RFC 5952 form: %s", text);
	memset(a, 0xff, 16);
	EXPECT(strlen(net_addr_format6(a, text, sizeof(text))) == 39,
	       "the longest text fits");
	EXPECT(!*net_addr_format6(a, small, sizeof(small)), "too small: empty");
	srand(3);
	for (int r = 0; r < 100000 && !unit_failures; r++) {
		for (int k = 0; k < 16; k += 2) {
			int z = rand() % 3 == 0;

			a[k] = z ? 0 : (uint8_t)(rand() % 3 ? 0 : rand());
			a[k + 1] = z ? 0 : (uint8_t)rand();
		}
		net_addr_format6(a, text, sizeof(text));
		EXPECT(p6(text, b) == 0 && !memcmp(a, b, 16),
		       "round trip through %s", text);
	}
}

/* random_text - strings of address characters: no crash, no read past
 * the end, and a success is always a list within its limits. */
static void random_text(void)
{
	static const char alphabet[] = "0123456789abcdefABCDEF:./ ,x%";

	srand(5);
	for (int r = 0; r < 200000 && !unit_failures; r++) {
		size_t n = (size_t)(rand() % 48);
		char *s = malloc(n + 1);
		struct net_addr_list l;
		struct net_gateways g;
		uint8_t out[16];

		for (size_t i = 0; i < n; i++)
			s[i] = alphabet[rand() % (sizeof(alphabet) - 1)];
		s[n] = 0;
		if (net_addr_parse_list(s, &l) == 0)
			EXPECT(l.n6 <= NET_ADDR6_MAX && (l.has4 || l.n6),
			       "\"%s\"", s);
		if (net_addr_parse_gateways(s, &g) == 0)
			EXPECT(g.has4 || g.has6, "\"%s\"", s);
		net_addr_parse6(s, n, out);
		free(s);
	}
}

int main(void)
{
	static const struct unit units[] = { UNIT(ipv6_forms), UNIT(ipv4_forms),
		UNIT(lists), UNIT(gateways), UNIT(format6), UNIT(random_text) };

	return RUN_UNITS("net_addr", units);
}
