/*
 * resp.c - the Redis protocol for kvstore (see resp.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "resp.h"

/*
 * read_int - the integer line at buf[*pos] (optional '-', digits,
 * CRLF). 1 with *val and *pos past the CRLF; 0 if buf ends first; -1
 * and *err if malformed.
 */
static int read_int(const char *buf, size_t n, size_t *pos, long long *val,
		    const char **err)
{
	size_t i = *pos;
	int neg = 0, digits = 0;
	long long v = 0;

	if (i < n && buf[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < n && isdigit((unsigned char)buf[i]); i++, digits++) {
		if (digits >= 18)
			goto bad;
		v = v * 10 + (buf[i] - '0');
	}
	if (i < n && buf[i] != '\r')
		goto bad;
	if (i + 1 >= n)
		return 0;	/* at most 21 bytes so far: read on */
	if (!digits || buf[i + 1] != '\n')
		goto bad;
	*val = neg ? -v : v;
	*pos = i + 2;
	return 1;
bad:
	*err = "invalid length";
	return -1;
}

/* parse_bulk - argument i of a multibulk request at buf[*pos]; the same
 * returns as read_int. */
static int parse_bulk(const char *buf, size_t n, size_t *pos,
		      struct resp_cmd *cmd, int i, const char **err)
{
	long long len;
	int rc;

	if (*pos >= n)
		return 0;
	if (buf[*pos] != '$') {
		*err = "Protocol error: expected '$'";
		return -1;
	}
	(*pos)++;
	rc = read_int(buf, n, pos, &len, err);
	if (rc <= 0) {
		if (rc < 0)
			*err = "Protocol error: invalid bulk length";
		return rc;
	}
	if (len < 0 || len > RESP_BULK_MAX) {
		*err = "Protocol error: invalid bulk length";
		return -1;
	}
	if (*pos + (size_t)len + 2 > RESP_CMD_MAX) {
		*err = "Protocol error: request too large";
		return -1;
	}
	if (n < *pos + (size_t)len + 2)
		return 0;
	if (buf[*pos + len] != '\r' || buf[*pos + len + 1] != '\n') {
		*err = "Protocol error: bulk string not followed by CRLF";
		return -1;
	}
	cmd->argv[i] = buf + *pos;
	cmd->len[i] = (size_t)len;
	*pos += (size_t)len + 2;
	return 1;
}

/* parse_multibulk - a request that starts with '*'. */
static long parse_multibulk(const char *buf, size_t n, struct resp_cmd *cmd,
			    const char **err)
{
	size_t pos = 1;
	long long count;
	int rc = read_int(buf, n, &pos, &count, err);

	if (rc <= 0) {
		if (rc < 0)
			*err = "Protocol error: invalid multibulk length";
		return rc;
	}
	cmd->argc = 0;
	if (count <= 0)
		return (long)pos;
	if (count > RESP_ARGS_MAX) {
		*err = "Protocol error: invalid multibulk length";
		return -1;
	}
	for (int i = 0; i < count; i++) {
		rc = parse_bulk(buf, n, &pos, cmd, i, err);
		if (rc <= 0)
			return rc;
	}
	cmd->argc = (int)count;
	return (long)pos;
}

/* parse_inline - a request that is one line of blank-separated words. */
static long parse_inline(const char *buf, size_t n, struct resp_cmd *cmd,
			 const char **err)
{
	size_t lim = n < RESP_INLINE_MAX ? n : RESP_INLINE_MAX;
	const char *nl = memchr(buf, '\n', lim), *p, *end;

	if (!nl) {
		if (n >= RESP_INLINE_MAX) {
			*err = "Protocol error: too big inline request";
			return -1;
		}
		return 0;
	}
	end = nl > buf && nl[-1] == '\r' ? nl - 1 : nl;
	cmd->argc = 0;
	for (p = buf; p < end;) {
		const char *w;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		if (cmd->argc == RESP_ARGS_MAX) {
			*err = "Protocol error: too many arguments";
			return -1;
		}
		for (w = p; p < end && *p != ' ' && *p != '\t'; p++)
			;
		cmd->argv[cmd->argc] = w;
		cmd->len[cmd->argc++] = (size_t)(p - w);
	}
	return (long)(nl - buf) + 1;
}

long resp_parse(const char *buf, size_t n, struct resp_cmd *cmd,
		const char **err)
{
	*err = NULL;
	cmd->argc = 0;
	if (!n)
		return 0;
	return buf[0] == '*' ? parse_multibulk(buf, n, cmd, err)
			     : parse_inline(buf, n, cmd, err);
}

int resp_is(const struct resp_cmd *cmd, int i, const char *w)
{
	size_t n = strlen(w);

	if (i >= cmd->argc || cmd->len[i] != n)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (tolower((unsigned char)cmd->argv[i][k]) !=
		    tolower((unsigned char)w[k]))
			return 0;
	return 1;
}

/* reserve - room for extra more bytes; 0, or -1 (o->failed set). */
static int reserve(struct resp_out *o, size_t extra)
{
	size_t cap;
	char *b;

	if (o->failed)
		return -1;
	if (o->len + extra <= o->cap)
		return 0;
	cap = o->cap ? o->cap * 2 : 256;
	while (cap < o->len + extra)
		cap *= 2;
	b = realloc(o->buf, cap);
	if (!b) {
		o->failed = 1;
		return -1;
	}
	o->buf = b;
	o->cap = cap;
	return 0;
}

/* add - append n bytes. */
static void add(struct resp_out *o, const void *p, size_t n)
{
	if (reserve(o, n))
		return;
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

/* add_line - append a type byte, s (CR and LF become blanks), CRLF. */
static void add_line(struct resp_out *o, char type, const char *s)
{
	size_t n = strlen(s);

	if (reserve(o, n + 3))
		return;
	o->buf[o->len++] = type;
	for (size_t i = 0; i < n; i++)
		o->buf[o->len++] = s[i] == '\r' || s[i] == '\n' ? ' ' : s[i];
	o->buf[o->len++] = '\r';
	o->buf[o->len++] = '\n';
}

void resp_add_simple(struct resp_out *o, const char *s)
{
	add_line(o, '+', s);
}

void resp_add_error(struct resp_out *o, const char *s)
{
	add_line(o, '-', s);
}

void resp_add_int(struct resp_out *o, long long v)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", v);
	add_line(o, ':', b);
}

void resp_add_bulk(struct resp_out *o, const void *p, size_t n)
{
	char b[32];

	snprintf(b, sizeof(b), "%zu", n);
	add_line(o, '$', b);
	add(o, p, n);
	add(o, "\r\n", 2);
}

void resp_add_nil(struct resp_out *o)
{
	add(o, "$-1\r\n", 5);
}

void resp_add_array(struct resp_out *o, long n)
{
	char b[32];

	snprintf(b, sizeof(b), "%ld", n);
	add_line(o, '*', b);
}

void resp_out_consume(struct resp_out *o, size_t n)
{
	if (n >= o->len) {
		o->len = 0;
		return;
	}
	memmove(o->buf, o->buf + n, o->len - n);
	o->len -= n;
}

void resp_out_free(struct resp_out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
	o->failed = 0;
}
