/*
 * newlib_host_test.c - self-check of the cached newlib build.
 *
 * Linked -nostdlib -static against libc.a/libm.a with linux_glue.c as the
 * OS, run on the build host. Checks formatted output (integers, strings,
 * floating point, C99 sizes), strtod, the allocator on top of _sbrk, qsort,
 * the x86_64 string routines, libm, errno through __getreent and per-thread
 * reent state, constructors and setjmp. Prints failures, then
 * "newlib host test: N passed, N failed"; exits 1 if any failed.
 */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glue.h"

#ifndef __DYNAMIC_REENT__
#error "newlib's headers must define __DYNAMIC_REENT__ (see libc/build-newlib.sh)"
#endif

static int passed, failed;

static void check(int ok, const char *what)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL: %s\n", what);
	}
}

/* check_fmt EXPECTED FMT...: snprintf(FMT...) gives EXPECTED. */
static void check_fmt(const char *expected, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void check_fmt(const char *expected, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n == (int)strlen(expected) && strcmp(buf, expected) == 0) {
		passed++;
	} else {
		failed++;
		printf("FAIL: snprintf(\"%s\") gave \"%s\" (%d), want \"%s\"\n",
		       fmt, buf, n, expected);
	}
}

static void check_near(double got, double want, double tol, const char *what)
{
	if (fabs(got - want) <= tol) {
		passed++;
	} else {
		failed++;
		printf("FAIL: %s = %.17g, want %.17g\n", what, got, want);
	}
}

static void test_printf(void)
{
	char buf[8];

	check_fmt("-42 minnow beef 1234567890123 3.141590 1.235e+04 0.0001",
		  "%d %s %x %lld %f %.3e %g", -42, "minnow", 0xbeefu,
		  1234567890123LL, 3.14159, 12345.678, 0.0001);
	check_fmt("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
	check_fmt("-9223372036854775808 18446744073709551615", "%lld %llu",
		  LLONG_MIN, ULLONG_MAX);
	check_fmt("0xff FF 10 ffffffffffffffff", "%#x %X %o %lx", 255u, 255u, 8u,
		  ULONG_MAX);
	check_fmt("[   ab] [ab   ] [007]", "[%5s] [%-5s] [%03d]", "ab", "ab", 7);
	check_fmt("123 -5 44 -7", "%zu %jd %hhd %td", (size_t)123, (intmax_t)-5,
		  (signed char)44, (ptrdiff_t)-7);
	check_fmt("0.100000 0.3333333333 2.500000", "%f %.10f %f", 0.1, 1.0 / 3,
		  2.5);
	check_fmt("6.022141e+23 -0.000e+00 1.5E-07", "%e %.3e %.1E", 6.02214076e23,
		  -0.0, 1.5e-7);
	check_fmt("1e-05 1.23457e+08 100000 0.5", "%g %g %g %g", 1e-5,
		  123456789.0, 100000.0, 0.5);
	check_fmt("  3.1|2.50  |", "%5.1f|%-6.2f|", 3.14159, 2.5);
	check_fmt("inf -inf nan", "%f %f %f", INFINITY, -INFINITY, NAN);
	check_fmt("1.500000", "%Lf", 1.5L);
	check_fmt("0x1p+0 0x1.8p+1", "%a %a", 1.0, 3.0);
	check_fmt("%", "%%");
	check(snprintf(buf, sizeof(buf), "%s", "abcdefghij") == 10 &&
		      strcmp(buf, "abcdefg") == 0,
	      "snprintf truncates and returns the full length");
}

static void test_strtod(void)
{
	char *end;
	double d;

	d = strtod("3.25e2xyz", &end);
	check(d == 325.0 && *end == 'x', "strtod(\"3.25e2xyz\") = 325, stops at x");
	check(strtod("-0.000001", NULL) == -1e-6, "strtod(\"-0.000001\")");
	check(strtod("0.1", NULL) == 0.1, "strtod(\"0.1\") rounds correctly");
	check(strtod("0x1.8p1", NULL) == 3.0, "strtod of a hex float");
	check(isinf(strtod("inf", NULL)), "strtod(\"inf\")");
	errno = 0;
	d = strtod("1e400", NULL);
	check(d == HUGE_VAL && errno == ERANGE, "strtod(\"1e400\") = HUGE_VAL, ERANGE");
	check(atof("  2.5") == 2.5, "atof skips blanks");
}

/* Deterministic pseudo-random numbers. */
static uint32_t lcg_state = 12345;
static uint32_t lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return lcg_state >> 8;
}

static int filled_with(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void test_malloc(void)
{
	enum { N = 1000 };
	static unsigned char *blocks[N];
	static size_t sizes[N];
	int ok = 1, aligned = 1;

	for (int i = 0; i < N; i++) {
		sizes[i] = 1 + lcg() % 4096;
		blocks[i] = malloc(sizes[i]);
		if (!blocks[i]) {
			ok = 0;
			break;
		}
		aligned &= ((uintptr_t)blocks[i] % 16) == 0;
		memset(blocks[i], i & 0xff, sizes[i]);
	}
	check(ok, "1000 mallocs of 1..4096 bytes");
	check(aligned, "malloc returns 16-byte aligned blocks");
	for (int i = 0; ok && i < N; i++)
		ok &= filled_with(blocks[i], sizes[i], i & 0xff);
	check(ok, "malloc'd blocks do not overlap");
	for (int i = 0; ok && i < N; i += 2) {
		free(blocks[i]);
		blocks[i] = NULL;
	}
	for (int i = 1; ok && i < N; i += 2) {
		unsigned char *p = realloc(blocks[i], sizes[i] * 3);
		if (!p || !filled_with(p, sizes[i], i & 0xff)) {
			ok = 0;
			break;
		}
		blocks[i] = p;
	}
	check(ok, "realloc grows and keeps the contents");
	for (int i = 0; i < N; i++)
		free(blocks[i]);

	unsigned char *big = malloc(1 << 20);
	if (big)
		memset(big, 0x5a, 1 << 20);
	unsigned char *bigger = big ? realloc(big, 4 << 20) : NULL;
	check(bigger && filled_with(bigger, 1 << 20, 0x5a),
	      "malloc 1 MiB, realloc to 4 MiB");
	free(bigger);

	int *zeroed = calloc(1000, sizeof(int));
	check(zeroed && filled_with((unsigned char *)zeroed, 1000 * sizeof(int), 0),
	      "calloc zeroes");
	free(zeroed);

	errno = 0;
	void *huge = malloc(TEST_ARENA_SIZE * 2);
	check(huge == NULL && errno == ENOMEM,
	      "malloc beyond the heap gives NULL and ENOMEM");
	void *again = malloc(100);
	check(again != NULL, "malloc works after a failed one");
	free(again);
	free(NULL);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_qsort(void)
{
	enum { N = 10000 };
	static int v[N];
	long long sum_before = 0, sum_after = 0;
	int sorted = 1;

	for (int i = 0; i < N; i++) {
		v[i] = (int)(lcg() % 100000) - 50000;
		sum_before += v[i];
	}
	qsort(v, N, sizeof(v[0]), cmp_int);
	for (int i = 0; i < N; i++) {
		sum_after += v[i];
		if (i && v[i - 1] > v[i])
			sorted = 0;
	}
	check(sorted && sum_before == sum_after, "qsort of 10000 ints");

	const char *words[] = { "pear", "apple", "fig", "banana", "cherry" };
	qsort(words, 5, sizeof(words[0]), cmp_str);
	check(strcmp(words[0], "apple") == 0 && strcmp(words[4], "pear") == 0,
	      "qsort of strings");
}

/* memcpy/memset/memmove (x86_64 assembly in newlib) against byte loops,
   at every small length and alignment, with guard bytes around. */
static void test_string(void)
{
	static unsigned char src[400], dst[400], ref[400];
	int ok = 1;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 3);
	for (size_t len = 0; ok && len <= 300; len++) {
		for (size_t so = 0; ok && so < 8; so++) {
			for (size_t d = 0; ok && d < 8; d++) {
				memset(dst, 0xee, sizeof(dst));
				memcpy(dst + 16 + d, src + so, len);
				for (size_t i = 0; i < sizeof(ref); i++)
					ref[i] = 0xee;
				for (size_t i = 0; i < len; i++)
					ref[16 + d + i] = src[so + i];
				ok = memcmp(dst, ref, sizeof(dst)) == 0;
			}
		}
	}
	check(ok, "memcpy, lengths 0..300, all alignments");

	ok = 1;
	for (size_t len = 0; ok && len <= 300; len++) {
		for (size_t d = 0; ok && d < 8; d++) {
			memset(dst, 0xee, sizeof(dst));
			memset(dst + 16 + d, 0x42, len);
			ok = filled_with(dst, 16 + d, 0xee) &&
			     filled_with(dst + 16 + d, len, 0x42) &&
			     filled_with(dst + 16 + d + len,
					 sizeof(dst) - 16 - d - len, 0xee);
		}
	}
	check(ok, "memset, lengths 0..300, all alignments");

	char s[32] = "0123456789";
	memmove(s + 2, s, 8);
	check(strcmp(s, "0101234567") == 0, "memmove with overlap");
	check(strlen("minnow") == 6 && strcmp("abc", "abd") < 0 &&
		      strncmp("abcx", "abcy", 3) == 0 && strchr("hello", 'l') &&
		      strstr("unikernel", "kern"),
	      "strlen/strcmp/strncmp/strchr/strstr");
}

static void test_libm(void)
{
	volatile double two = 2.0, sixth_pi = M_PI / 6, ten = 10.0;

	check_near(sqrt(two), 1.4142135623730951, 1e-15, "sqrt(2)");
	check_near(sin(sixth_pi), 0.5, 1e-15, "sin(pi/6)");
	check_near(cos(sixth_pi * 2), 0.5, 1e-15, "cos(pi/3)");
	check_near(pow(two, ten), 1024.0, 0, "pow(2, 10)");
	check_near(exp(log(ten)), 10.0, 1e-14, "exp(log(10))");
	check_near(atan2(1.0, 1.0) * 4, M_PI, 1e-15, "atan2(1, 1) * 4");
	check(floor(-2.5) == -3.0 && ceil(-2.5) == -2.0 && fabs(-3.0) == 3.0,
	      "floor/ceil/fabs");
	check_near(sqrtf(2.0f), 1.41421356f, 1e-6, "sqrtf(2)");
	errno = 0;
	check(isnan(sqrt(-two)) && errno == EDOM, "sqrt(-2) is NaN, EDOM");
	errno = 0;
	check(isinf(exp(1000 * ten)) && errno == ERANGE, "exp(10000) is inf, ERANGE");
}

/* errno goes through __getreent(): each "thread" has its own. */
static void test_errno(void)
{
	char *end;
	long v;

	check(test_getreent_calls > 0, "newlib calls __getreent");
	check(&errno == &test_reent_a._errno, "errno lives in the current reent");
	errno = 0;
	v = strtol("99999999999999999999", &end, 10);
	check(v == LONG_MAX && errno == ERANGE && *end == '\0',
	      "strtol overflow gives LONG_MAX, ERANGE");
	errno = 0;
	v = strtol("-99999999999999999999", NULL, 10);
	check(v == LONG_MIN && errno == ERANGE, "strtol underflow gives LONG_MIN, ERANGE");
	errno = 0;
	v = strtol("  -123abc", &end, 0);
	check(v == -123 && errno == 0 && *end == 'a', "strtol(\"  -123abc\")");

	FILE *stdout_a = stdout;
	test_current_reent = &test_reent_b;
	errno = 0;
	strtoul("999999999999999999999", NULL, 10);
	FILE *stdout_b = stdout;
	test_current_reent = &test_reent_a;
	check(test_reent_b._errno == ERANGE && errno == 0,
	      "errno of another reent is separate");
	check(stdout_a != stdout_b, "each reent has its own stdout");
}

static int ctor_ran;
__attribute__((constructor)) static void ctor(void)
{
	ctor_ran = 1;
}

static void test_runtime(void)
{
	static jmp_buf env;
	static volatile int jumped;

	check(ctor_ran, "constructors run through __libc_init_array");
	jumped = 0;
	if (setjmp(env) == 0) {
		jumped = 1;
		longjmp(env, 7);
	}
	check(jumped == 1, "setjmp/longjmp");
	char *p = NULL;
	check(asprintf(&p, "%s-%d", "x", 1) == 3 && p && strcmp(p, "x-1") == 0,
	      "asprintf");
	free(p);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	test_printf();
	test_strtod();
	test_malloc();
	test_qsort();
	test_string();
	test_libm();
	test_errno();
	test_runtime();
	printf("newlib host test: %d passed, %d failed\n", passed, failed);
	/* exit() flushes only the global reent's streams (_impure_ptr):
	   this "thread" has its own, so flush by hand. */
	fflush(stdout);
	return failed ? 1 : 0;
}
