/*
 * http.h - the httpd example's HTTP/1.x request parser: pure logic over
 * a byte buffer (no sockets), so host unit tests run it under
 * sanitizers. Requests come from the network and are not trusted: the
 * parser never reads past len, copies only bounded fields, and answers
 * anything it does not accept with an HTTP status to send back.
 */
#ifndef HTTPD_HTTP_H
#define HTTPD_HTTP_H

#include <stddef.h>

#define HTTP_HEADER_MAX	4096	/* request line + headers, bytes */
#define HTTP_PATH_MAX	256	/* the path, without the query */

enum { HTTP_GET = 1, HTTP_HEAD };

struct http_req {
	int method;			/* HTTP_GET or HTTP_HEAD */
	char path[HTTP_PATH_MAX];	/* "/..." without "?query" */
	int minor;			/* HTTP/1.<minor>: 0 or 1 */
	int keep_alive;			/* the connection stays open after */
};

/*
 * http_parse - does buf[0..len) start with a whole request head? > 0:
 * its length (the next request, if pipelined, starts there) and *req;
 * 0: not yet (read more, unless len is HTTP_HEADER_MAX already); < 0:
 * minus the status to answer with, after which the connection closes:
 * 400 malformed, 405 a method other than GET/HEAD, 413 a request with a
 * body, 414 a path over HTTP_PATH_MAX, 431 a head over HTTP_HEADER_MAX,
 * 505 not HTTP/1.0 or 1.1. A path with "..", a NUL or a control byte is
 * 400.
 */
int http_parse(const char *buf, size_t len, struct http_req *req);

/* http_reason - the reason phrase for status ("Not Found"...). */
const char *http_reason(int status);

/* http_content_type - a MIME type for path's extension. */
const char *http_content_type(const char *path);

#endif
