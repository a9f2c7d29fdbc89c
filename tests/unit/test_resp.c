/*
 * test_resp.c - kvstore's Redis protocol: multibulk and inline
 * requests, binary-safe arguments, pipelining, every truncation of a
 * good request (need more, never an error or a read past the end),
 * malformed input and broken limits (errors), random bytes (never a
 * crash: ASan watches buffers exactly as long as the input), and the
 * reply encoder.
 */
#include <stdlib.h>
#include <string.h>
#include "examples/kvstore/resp.c"
#include "unit.h"

static struct resp_cmd cmd;

/* parse_n - resp_parse over a heap copy of exactly n bytes of s. */
static long parse_n(const char *s, size_t n, const char **err)
{
	char *b = malloc(n ? n : 1);
	long rc;

	memcpy(b, s, n);
	rc = resp_parse(b, n, &cmd, err);
	free(b);		/* cmd.argv dangles now: callers use rc only */
	return rc;
}

static void multibulk(void)
{
	const char *s = "*3\r\n$3\r\nSET\r\n$5\r\nk\0y\r\n\r\n$0\r\n\r\n";
	size_t n = 4 + 9 + 11 + 6;
	const char *err;
	long rc = resp_parse(s, n, &cmd, &err);

	EXPECT(rc == (long)n, "consumed %ld of %zu (%s)", rc, n, err ? err : "");
	EXPECT(cmd.argc == 3 && resp_is(&cmd, 0, "set") && cmd.len[1] == 5 &&
	       !memcmp(cmd.argv[1], "k\0y\r\n", 5) && cmd.len[2] == 0,
	       "argc %d", cmd.argc);
	EXPECT(resp_parse("*0\r\n", 4, &cmd, &err) == 4 && cmd.argc == 0, "*0");
	EXPECT(resp_parse("*-1\r\n", 5, &cmd, &err) == 5 && cmd.argc == 0, "*-1");
}

static void inline_cmds(void)
{
	const char *err;

	EXPECT(resp_parse("PING\r\n", 6, &cmd, &err) == 6 && cmd.argc == 1 &&
	       resp_is(&cmd, 0, "PING"), "PING");
	EXPECT(resp_parse("  set  a\tb \n", 12, &cmd, &err) == 12 &&
	       cmd.argc == 3 && resp_is(&cmd, 1, "a") && resp_is(&cmd, 2, "B"),
	       "words: argc %d", cmd.argc);
	EXPECT(resp_parse("\r\n", 2, &cmd, &err) == 2 && cmd.argc == 0,
	       "empty line");
	EXPECT(resp_parse("GET k", 5, &cmd, &err) == 0, "no newline yet");
}

static void pipeline(void)
{
	const char *s = "*1\r\n$4\r\nPING\r\nECHO x\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
	size_t n = strlen(s), off = 0;
	const char *err;
	int count = 0;
	long rc;

	int last_get = 0;

	while ((rc = resp_parse(s + off, n - off, &cmd, &err)) > 0) {
		off += (size_t)rc;
		count++;
		last_get = resp_is(&cmd, 0, "get") && resp_is(&cmd, 1, "k");
	}
	EXPECT(rc == 0 && off == n && count == 3, "rc %ld off %zu count %d",
	       rc, off, count);
	EXPECT(last_get, "the last request is not GET k");
}

/* truncations - every prefix of good requests needs more, never errs. */
static void truncations(void)
{
	const char *good[] = {
		"*3\r\n$3\r\nSET\r\n$10\r\nkey:000001\r\n$3\r\nxxx\r\n",
		"*1\r\n$4\r\nPING\r\n",
		"*2\r\n$3\r\nGET\r\n$0\r\n\r\n",
		"DBSIZE\r\n",
	};
	const char *err;

	for (size_t g = 0; g < sizeof(good) / sizeof(good[0]); g++) {
		size_t n = strlen(good[g]);

		for (size_t k = 0; k < n; k++) {
			long rc = parse_n(good[g], k, &err);

			EXPECT(rc == 0, "request %zu cut at %zu: %ld (%s)", g, k, rc,
			       err ? err : "");
		}
		EXPECT(parse_n(good[g], n, &err) == (long)n, "request %zu whole", g);
	}
}

/* errors - malformed requests and broken limits. */
static void errors(void)
{
	const char *bad[] = {
		"*x\r\n", "*1\r\n:4\r\nPING\r\n", "*1\r\n$-5\r\n",
		"*1\r\n$4\r\nPINGxx", "*1\r\n$99999999999999999999\r\n",
		"*99999\r\n", "*1x\r\n", "*1\r\n$4\n",
	};
	size_t half = RESP_CMD_MAX / 2, total = 2 * half + 64;
	const char *err;
	char hdr[48], *big;
	long rc;
	int n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = parse_n(bad[i], strlen(bad[i]), &err);
		EXPECT(rc < 0 && err && !strpbrk(err, "\r\n"), "bad %zu (%s): %ld",
		       i, bad[i], rc);
	}
	/* One byte over the bulk limit. */
	n = snprintf(hdr, sizeof(hdr), "*1\r\n$%d\r\n", RESP_BULK_MAX + 1);
	rc = parse_n(hdr, (size_t)n, &err);
	EXPECT(rc < 0 && err && strstr(err, "bulk length"), "bulk over the limit: %ld", rc);
	/* Two bulks of half RESP_CMD_MAX each pass it in all. */
	big = malloc(total);
	memset(big, 'a', total);
	n = snprintf(hdr, sizeof(hdr), "*2\r\n$%zu\r\n", half);
	memcpy(big, hdr, (size_t)n);
	memcpy(big + n + half, "\r\n", 2);
	memcpy(big + n + half + 2, hdr + 4, (size_t)n - 4);
	rc = resp_parse(big, total, &cmd, &err);
	EXPECT(rc < 0 && err && strstr(err, "too large"), "two big bulks: %ld (%s)", rc,
	       err ? err : "");
	/* An inline line with no end, over the limit. */
	rc = resp_parse(big + 14, RESP_INLINE_MAX, &cmd, &err);
	EXPECT(rc < 0, "endless inline line: %ld", rc);
	/* Too many inline words. */
	for (int i = 0; i < 600; i++)
		big[2 * i] = 'a', big[2 * i + 1] = ' ';
	big[1200] = '\n';
	EXPECT(resp_parse(big, 1201, &cmd, &err) < 0, "600 inline words");
	free(big);
}

/* fuzz - random and mutated input: any result, but in range and no
 * fault; argv always inside the buffer. */
static void fuzz(void)
{
	const char *seed = "*3\r\n$3\r\nSET\r\n$4\r\nkey1\r\n$5\r\nvalue\r\n";
	unsigned int r = 1;
	int bad = 0;

	for (int iter = 0; iter < 20000; iter++) {
		size_t n = (size_t)(rand_r(&r) % 64) + 1;
		char *b = malloc(n);
		const char *err;
		long rc;

		for (size_t i = 0; i < n; i++)
			b[i] = iter % 2 ? (char)rand_r(&r)
					: (i < strlen(seed) ? seed[i] : 'x');
		if (iter % 2 == 0)
			b[rand_r(&r) % n] = "*$\r\n0-9x"[rand_r(&r) % 8];
		rc = resp_parse(b, n, &cmd, &err);
		if (rc > (long)n || (rc < 0 && !err))
			bad++;
		for (int i = 0; rc > 0 && i < cmd.argc; i++)
			if (cmd.argv[i] < b || cmd.argv[i] + cmd.len[i] > b + n)
				bad++;
		free(b);
	}
	EXPECT(!bad, "%d bad results", bad);
}

static void replies(void)
{
	struct resp_out o = { 0 };
	const char *want = "+OK\r\n-ERR bad  x\r\n:-42\r\n$3\r\na\0b\r\n$-1\r\n*2\r\n";

	resp_add_simple(&o, "OK");
	resp_add_error(&o, "ERR bad\r\nx");
	resp_add_int(&o, -42);
	resp_add_bulk(&o, "a\0b", 3);
	resp_add_nil(&o);
	resp_add_array(&o, 2);
	EXPECT(!o.failed && o.len == 5 + 13 + 6 + 9 + 5 + 4 &&
	       !memcmp(o.buf, want, o.len), "encoded %zu bytes", o.len);
	resp_out_consume(&o, 5);
	EXPECT(o.len == 37 && o.buf[0] == '-', "consume");
	resp_out_free(&o);
	{
		static char big[100000];

		resp_add_bulk(&o, big, sizeof(big));
		EXPECT(o.len == 9 + sizeof(big) + 2, "big bulk %zu", o.len);
		resp_out_free(&o);
	}
}

static const struct unit units[] = {
	UNIT(multibulk), UNIT(inline_cmds), UNIT(pipeline), UNIT(truncations),
	UNIT(errors), UNIT(fuzz), UNIT(replies),
};

int main(void)
{
	return RUN_UNITS("resp", units);
}
