/*
 * test_cmdline.c - splitting the untrusted kernel command line.
 */
#include <errno.h>
#include <string.h>
#include "lib/cmdline.h"
#include "unit.h"

#define MAXW 8

/* split_ok - line must split into exactly the NULL-terminated words. */
static void split_ok(const char *line, const char *const *words)
{
	char buf[256];
	char *argv[MAXW + 1];
	struct cmdline_err err;
	int argc = -1, rc, n = 0;

	rc = cmdline_split(line, buf, sizeof(buf), argv, MAXW, &argc, &err);
	EXPECT(rc == 0, "\"%s\": expected success, saw %d (%s at %zu)", line,
	       rc, err.msg ? err.msg : "-", err.at);
	if (rc)
		return;
	while (words[n])
		n++;
	EXPECT(argc == n, "\"%s\": expected %d words, saw %d", line, n, argc);
	for (int i = 0; i < n && i < argc; i++)
		EXPECT(!strcmp(argv[i], words[i]),
		       "\"%s\": word %d: expected \"%s\", saw \"%s\"", line, i,
		       words[i], argv[i]);
	EXPECT(argv[argc] == NULL, "\"%s\": argv not NULL-terminated", line);
}

/* split_bad - line must be refused with rc at byte at. */
static void split_bad(const char *line, int want_rc, size_t at)
{
	char buf[256];
	char *argv[MAXW + 1];
	struct cmdline_err err;
	int argc = -1;
	int rc = cmdline_split(line, buf, sizeof(buf), argv, MAXW, &argc,
			       &err);

	EXPECT(rc == want_rc && err.msg && err.at == at,
	       "\"%s\": expected error %d at %zu, saw %d at %zu (%s)", line,
	       want_rc, at, rc, err.at, err.msg ? err.msg : "no message");
}

static void plain_words(void)
{
	split_ok("", (const char *[]){ NULL });
	split_ok("   \t ", (const char *[]){ NULL });
	split_ok("one", (const char *[]){ "one", NULL });
	split_ok("  one  two\tthree ", (const char *[]){ "one", "two",
							"three", NULL });
	split_ok("k=v --flag", (const char *[]){ "k=v", "--flag", NULL });
}

static void quotes_and_escapes(void)
{
	split_ok("\"hello world\"", (const char *[]){ "hello world", NULL });
	split_ok("'a b' \"c d\"", (const char *[]){ "a b", "c d", NULL });
	split_ok("pre\"fix suf\"fix", (const char *[]){ "prefix suffix",
						       NULL });
	split_ok("\"\" ''", (const char *[]){ "", "", NULL });
	split_ok("a\\ b", (const char *[]){ "a b", NULL });
	split_ok("\"say \\\"hi\\\"\"", (const char *[]){ "say \"hi\"", NULL });
	split_ok("'back\\slash'", (const char *[]){ "back\\slash", NULL });
	split_ok("\"it's\"", (const char *[]){ "it's", NULL });
	split_ok("caf\xc3\xa9", (const char *[]){ "caf\xc3\xa9", NULL });
}

static void malformed(void)
{
	split_bad("ok \"open", -EINVAL, 3);
	split_bad("'open", -EINVAL, 0);
	split_bad("end\\", -EINVAL, 3);
	split_bad("bell\a", -EINVAL, 4);
	split_bad("\"in\x01quote\"", -EINVAL, 3);
	split_bad("del\x7f", -EINVAL, 3);
	split_bad("1 2 3 4 5 6 7 8 9", -E2BIG, 16);
}

static void small_buffer(void)
{
	char buf[4];
	char *argv[4];
	struct cmdline_err err;
	int argc;

	EXPECT(cmdline_split("abcdef", buf, sizeof(buf), argv, 3, &argc,
			     &err) == -E2BIG, "expected -E2BIG for a small buf");
}

static void raw_buffer(void)
{
	char raw[16];
	struct cmdline_err err;

	memset(raw, 'x', sizeof(raw));
	EXPECT(cmdline_check_raw(raw, sizeof(raw), &err) == -E2BIG,
	       "unterminated buffer must be refused");
	raw[15] = 0;
	EXPECT(cmdline_check_raw(raw, sizeof(raw), &err) == -E2BIG &&
	       err.at == 15, "a line at the limit must be refused");
	raw[5] = 0;
	EXPECT(cmdline_check_raw(raw, sizeof(raw), &err) == 5,
	       "a short line must give its length");
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(plain_words), UNIT(quotes_and_escapes), UNIT(malformed),
		UNIT(small_buffer), UNIT(raw_buffer),
	};

	return RUN_UNITS("cmdline", units);
}
