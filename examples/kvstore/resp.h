/*
 * resp.h - the Redis protocol (RESP2) for kvstore: a request parser
 * and a reply encoder. Pure code, host-tested.
 *
 * Requests are arrays of bulk strings ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
 * or inline commands (words separated by blanks, ended by "\n" or
 * "\r\n", as typed into telnet; no quoting). Several may arrive at once
 * (pipelining): resp_parse takes one at a time from the front.
 * Limits: RESP_ARGS_MAX arguments, RESP_BULK_MAX bytes per argument,
 * RESP_CMD_MAX bytes per request (so a connection's buffer never needs
 * more), RESP_INLINE_MAX bytes per inline line. Malformed input or a
 * broken limit is an error with a message for the client, after which
 * the connection cannot be resynchronised (Redis closes it too).
 * RESP_BULK_MAX is twice kvstore's largest value, so a value that is
 * merely too long to store gets kvstore's own error on a connection
 * that stays open.
 */
#ifndef RESP_H
#define RESP_H

#include <stddef.h>
#include <stdint.h>

#define RESP_ARGS_MAX	256
#define RESP_BULK_MAX	(512 * 1024)
#define RESP_CMD_MAX	(RESP_BULK_MAX + 64 * 1024)
#define RESP_INLINE_MAX	(64 * 1024)

/* One request: argv[i] points into the parsed buffer (len[i] bytes, not
 * NUL-terminated). argc is 0 for an empty line or an empty array. */
struct resp_cmd {
	int argc;
	const char *argv[RESP_ARGS_MAX];
	size_t len[RESP_ARGS_MAX];
};

/*
 * resp_parse - parse the request at the start of buf (n bytes). Returns
 * the bytes it takes (> 0) with *cmd filled; 0 when buf holds only the
 * start of one (read more: it will fit in RESP_CMD_MAX bytes); or -1
 * with *err a message (no CR/LF in it) for a malformed request or a
 * broken limit.
 */
long resp_parse(const char *buf, size_t n, struct resp_cmd *cmd,
		const char **err);

/* resp_is - is argument i the word w, ignoring case? */
int resp_is(const struct resp_cmd *cmd, int i, const char *w);

/*
 * A growing reply buffer. Every resp_add_* appends one reply element;
 * when memory runs out the buffer sets failed and stops growing (the
 * caller then drops the connection).
 */
struct resp_out {
	char *buf;
	size_t len, cap;
	int failed;
};

void resp_add_simple(struct resp_out *o, const char *s);	/* +s */
void resp_add_error(struct resp_out *o, const char *s);		/* -s */
void resp_add_int(struct resp_out *o, long long v);		/* :v */
void resp_add_bulk(struct resp_out *o, const void *p, size_t n); /* $n */
void resp_add_nil(struct resp_out *o);				/* $-1 */
void resp_add_array(struct resp_out *o, long n);		/* *n */

/* resp_out_consume - drop the first n bytes (they were sent). */
void resp_out_consume(struct resp_out *o, size_t n);

/* resp_out_free - free the buffer; o is empty and usable again. */
void resp_out_free(struct resp_out *o);

#endif
