/*
 * test_fmt.c - lib/fmt.c against the C library's snprintf.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/fmt.h"
#include "unit.h"

/* same - format with both implementations and compare text and length. */
static void same(const char *fmt, ...)
{
	char want[512], got[512];
	va_list a, b;
	int nw, ng;

	va_start(a, fmt);
	va_copy(b, a);
	nw = vsnprintf(want, sizeof(want), fmt, a);
	ng = fmt_vsnprintf(got, sizeof(got), fmt, b);
	va_end(a);
	va_end(b);
	EXPECT(nw == ng && !strcmp(want, got),
	       "format \"%s\": expected \"%s\" (%d), saw \"%s\" (%d)",
	       fmt, want, nw, got, ng);
}

static void integers(void)
{
	same("%d %i %u", 0, -1, 4000000000u);
	same("%d", -2147483647 - 1);
	same("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
	same("%lld %llx", (long long)-5, (unsigned long long)0xdeadbeefcafe);
	same("%hd %hu %hhd %hhu", 70000, 70000, 300, 300);
	same("%zu %zd %td %jd", (size_t)12, (ssize_t)-12, (ptrdiff_t)-3,
	     (intmax_t)99);
	same("%x %X %o", 0xabcdefu, 0xabcdefu, 0777u);
	same("%#x %#X %#o %#x %#o", 255u, 255u, 8u, 0u, 0u);
}

static void flags_width_precision(void)
{
	same("[%5d] [%-5d] [%05d] [%+d] [% d] [%+5d]", 42, 42, 42, 42, 42, 42);
	same("[%.3d] [%8.3d] [%-8.3d] [%08.3d]", 7, 7, 7, 7);
	same("[%.0d] [%.0x] [%5.0d]", 0, 0u, 0);
	same("[%*d] [%-*d] [%*d]", 6, 1, 6, 1, -6, 1);
	same("[%.*d] [%.*d]", 4, 3, -1, 3);
	same("[%#08x] [%#8x] [%#-8x|]", 0x1fu, 0x1fu, 0x1fu);
	same("[%#.5o] [%#5o]", 8u, 8u);
	same("[%016lx]", 0x1234UL);
}

static void strings_and_chars(void)
{
	same("[%s] [%10s] [%-10s] [%.2s] [%10.2s]", "abc", "abc", "abc",
	     "abc", "abc");
	same("[%c] [%3c] [%-3c]", 'x', 'y', 'z');
	same("100%% [%%] %s", "done");
	same("%p", (void *)0x1234);
}

static void truncation(void)
{
	char buf[8];
	int n;

	memset(buf, 'X', sizeof(buf));
	n = fmt_snprintf(buf, sizeof(buf), "%s", "0123456789");
	EXPECT(n == 10 && !strcmp(buf, "0123456"),
	       "expected \"0123456\" (10), saw \"%s\" (%d)", buf, n);
	n = fmt_snprintf(buf, 1, "abc");
	EXPECT(n == 3 && buf[0] == 0, "size 1: expected \"\", saw \"%s\"", buf);
	buf[0] = 'Q';
	n = fmt_snprintf(buf, 0, "abc");
	EXPECT(n == 3 && buf[0] == 'Q', "size 0 must not write");
}

/* These calls break printf's rules on purpose. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"
static void unknown_and_null(void)
{
	char buf[64];

	fmt_snprintf(buf, sizeof(buf), "a%qb %");
	EXPECT(!strcmp(buf, "a%qb %"), "unknown conversion: saw \"%s\"", buf);
	fmt_snprintf(buf, sizeof(buf), "[%s]", (char *)NULL);
	EXPECT(!strcmp(buf, "[(null)]"), "NULL string: saw \"%s\"", buf);
	fmt_snprintf(buf, sizeof(buf), "%*d", 2000000000, 1);
	EXPECT(strlen(buf) == sizeof(buf) - 1, "huge width must be bounded");
}
#pragma GCC diagnostic pop

/* A seeded random mix of flags, widths, precisions and conversions. */
static void randomized(void)
{
	static const char *conv[] = { "d", "i", "u", "x", "X", "o", "ld",
				      "lu", "lx", "hd", "hhu", "lld" };
	static const char *flags[] = { "", "-", "0", "+", " ", "#", "-+",
				       "0#", "- " };
	char fmt[32];

	srand(1234);
	for (int i = 0; i < 20000 && !unit_failures; i++) {
		const char *c = conv[rand() % 12];
		const char *f = flags[rand() % 9];
		int w = rand() % 3 ? rand() % 25 : -1;
		int p = rand() % 3 ? rand() % 25 : -1;
		long long v = (long long)(((unsigned long long)rand() << 33) ^
					  (unsigned long long)rand());
		int len = snprintf(fmt, sizeof(fmt), "%%%s", f);

		/* '#' with d/i/u is undefined in C: skip those pairs */
		if (strchr(f, '#') && strchr("diu", c[strlen(c) - 1]))
			continue;
		if (w >= 0)
			len += snprintf(fmt + len, sizeof(fmt) - len, "%d", w);
		if (p >= 0)
			len += snprintf(fmt + len, sizeof(fmt) - len, ".%d", p);
		snprintf(fmt + len, sizeof(fmt) - len, "%s", c);
		if (rand() % 4 == 0)
			v = rand() % 3 - 1;		/* around zero */
		if (c[0] == 'l')
			same(fmt, (long)v);
		else if (c[1] == 'l')
			same(fmt, v);
		else
			same(fmt, (int)v);
	}
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(integers), UNIT(flags_width_precision),
		UNIT(strings_and_chars), UNIT(truncation),
		UNIT(unknown_and_null), UNIT(randomized),
	};

	return RUN_UNITS("fmt", units);
}
