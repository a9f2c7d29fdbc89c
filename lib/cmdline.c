/*
 * lib/cmdline.c - split the kernel command line into argv.
 */
#include <errno.h>
#include "lib/cmdline.h"

/* Splitting state: where we read, where we write. */
struct splitter {
	const char *line;
	size_t i;		/* read position in line */
	char *buf;
	size_t bufsz;
	size_t o;		/* write position in buf */
	struct cmdline_err *err;
};

/* fail - record an error at byte `at` and return rc. */
static int fail(struct cmdline_err *err, int rc, const char *msg, size_t at)
{
	err->msg = msg;
	err->at = at;
	return rc;
}

/* is_blank - word separators. */
static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* is_control - bytes that have no place on a command line. */
static int is_control(char c)
{
	unsigned char u = (unsigned char)c;

	return (u < 0x20 && c != '\t') || u == 0x7f;
}

/* emit - append one byte to the current word. */
static int emit(struct splitter *s, char c)
{
	if (s->o + 1 >= s->bufsz)
		return fail(s->err, -E2BIG, "command line too long for buffer",
			    s->i);
	s->buf[s->o++] = c;
	return 0;
}

/* take_escape - at a backslash: emit the byte after it. */
static int take_escape(struct splitter *s)
{
	char c = s->line[s->i + 1];

	if (!c)
		return fail(s->err, -EINVAL, "backslash at end of line", s->i);
	if (is_control(c))
		return fail(s->err, -EINVAL, "control character", s->i + 1);
	s->i += 2;
	return emit(s, c);
}

/* take_quoted - at an opening quote q: emit up to the closing one. */
static int take_quoted(struct splitter *s, char q)
{
	size_t open = s->i++;
	int rc;

	for (;;) {
		char c = s->line[s->i];

		if (!c)
			return fail(s->err, -EINVAL, "unterminated quote",
				    open);
		if (c == q) {
			s->i++;
			return 0;
		}
		if (is_control(c))
			return fail(s->err, -EINVAL, "control character",
				    s->i);
		if (c == '\\' && q == '"') {
			rc = take_escape(s);
		} else {
			rc = emit(s, c);
			s->i++;
		}
		if (rc)
			return rc;
	}
}

/* take_word - read one word starting at a non-blank byte. */
static int take_word(struct splitter *s)
{
	int rc = 0;

	while (!rc && s->line[s->i] && !is_blank(s->line[s->i])) {
		char c = s->line[s->i];

		if (c == '"' || c == '\'') {
			rc = take_quoted(s, c);
		} else if (c == '\\') {
			rc = take_escape(s);
		} else if (is_control(c)) {
			rc = fail(s->err, -EINVAL, "control character", s->i);
		} else {
			rc = emit(s, c);
			s->i++;
		}
	}
	return rc ? rc : emit(s, 0);
}

int cmdline_split(const char *line, char *buf, size_t bufsz, char **argv,
		  int max_words, int *argc, struct cmdline_err *err)
{
	struct splitter s = { line, 0, buf, bufsz, 0, err };
	int n = 0;

	err->msg = 0;
	err->at = 0;
	for (;;) {
		int rc;

		while (is_blank(line[s.i]))
			s.i++;
		if (!line[s.i])
			break;
		if (n >= max_words)
			return fail(err, -E2BIG, "too many words", s.i);
		argv[n] = buf + s.o;
		rc = take_word(&s);
		if (rc)
			return rc;
		n++;
	}
	argv[n] = 0;
	*argc = n;
	return 0;
}

long cmdline_check_raw(const char *raw, size_t cap, struct cmdline_err *err)
{
	size_t n = 0;

	err->msg = 0;
	err->at = 0;
	while (n < cap && raw[n])
		n++;
	if (n == cap)
		return fail(err, -E2BIG, "command line is not terminated", cap);
	if (cap && n == cap - 1)
		return fail(err, -E2BIG,
			    "command line reaches the toolstack's length limit "
			    "and was probably cut", n);
	return (long)n;
}
