/*
 * http.c - HTTP/1.x request heads (see http.h).
 */
#include <string.h>
#include <strings.h>
#include "http.h"

/* find_end - the length of the head (through the blank line) in
 * buf[0..len), or 0 if it has not ended. */
static size_t find_end(const char *buf, size_t len)
{
	for (size_t i = 3; i < len; i++)
		if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' &&
		    buf[i - 3] == '\r')
			return i + 1;
	return 0;
}

/* parse_method - the method token at *p (ending in a blank); moves *p
 * past the blank. HTTP_GET/HTTP_HEAD, -405 another upper-case token,
 * -400. */
static int parse_method(const char **p, const char *end)
{
	const char *sp = memchr(*p, ' ', (size_t)(end - *p));
	size_t n;
	int m = -405;

	if (!sp || sp == *p)
		return -400;
	n = (size_t)(sp - *p);
	for (size_t i = 0; i < n; i++)
		if ((*p)[i] < 'A' || (*p)[i] > 'Z')
			return -400;
	if (n == 3 && !memcmp(*p, "GET", 3))
		m = HTTP_GET;
	else if (n == 4 && !memcmp(*p, "HEAD", 4))
		m = HTTP_HEAD;
	*p = sp + 1;
	return m;
}

/* parse_target - the request target at *p into req->path (the query
 * dropped); moves *p past the blank after it. 0 or -status. */
static int parse_target(const char **p, const char *end, struct http_req *req)
{
	const char *sp = memchr(*p, ' ', (size_t)(end - *p));
	size_t n, q;

	if (!sp || sp == *p || **p != '/')
		return -400;
	n = (size_t)(sp - *p);
	for (q = 0; q < n && (*p)[q] != '?'; q++)
		if ((unsigned char)(*p)[q] < 0x21 || (*p)[q] == 0x7f)
			return -400;
	if (q >= HTTP_PATH_MAX)
		return -414;
	memcpy(req->path, *p, q);
	req->path[q] = '\0';
	if (strstr(req->path, ".."))
		return -400;
	*p = sp + 1;
	return 0;
}

/* parse_version - "HTTP/1.0" or "HTTP/1.1" then CRLF at *p. */
static int parse_version(const char **p, const char *end, struct http_req *req)
{
	if (end - *p < 10 || memcmp(*p, "HTTP/", 5))
		return -400;
	if ((*p)[5] != '1' || (*p)[6] != '.' || ((*p)[7] != '0' && (*p)[7] != '1'))
		return (*p)[5] >= '0' && (*p)[5] <= '9' ? -505 : -400;
	if ((*p)[8] != '\r' || (*p)[9] != '\n')
		return -400;
	req->minor = (*p)[7] - '0';
	*p += 10;
	return 0;
}

/* has_token - the comma-separated header value v (n bytes) lists tok
 * (case-insensitive, blanks around items ignored). */
static int has_token(const char *v, size_t n, const char *tok)
{
	size_t t = strlen(tok), i = 0;

	while (i < n) {
		size_t s, e;

		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s == t && !strncasecmp(v + s, tok, t))
			return 1;
	}
	return 0;
}

/* header - one "Name: value" line of n bytes (no CRLF). 0 or -status. */
static int header(const char *line, size_t n, struct http_req *req)
{
	const char *colon = memchr(line, ':', n);
	const char *v;
	size_t name, vn;

	if (!colon || colon == line)
		return -400;
	name = (size_t)(colon - line);
	for (size_t i = 0; i < name; i++)
		if (line[i] <= ' ' || line[i] == 0x7f)
			return -400;
	v = colon + 1;
	vn = n - name - 1;
	for (size_t i = 0; i < vn; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
			return -400;
	if (name == 10 && !strncasecmp(line, "Connection", 10)) {
		if (has_token(v, vn, "close"))
			req->keep_alive = 0;
		else if (has_token(v, vn, "keep-alive"))
			req->keep_alive = 1;
	} else if (name == 14 && !strncasecmp(line, "Content-Length", 14)) {
		for (size_t i = 0; i < vn; i++)
			if (v[i] >= '1' && v[i] <= '9')
				return -413;
	} else if (name == 17 && !strncasecmp(line, "Transfer-Encoding", 17)) {
		return -413;
	}
	return 0;
}

int http_parse(const char *buf, size_t len, struct http_req *req)
{
	size_t head = find_end(buf, len < HTTP_HEADER_MAX ? len : HTTP_HEADER_MAX);
	const char *p = buf, *end;
	int rc;

	if (!head)
		return len >= HTTP_HEADER_MAX ? -431 : 0;
	end = buf + head;
	memset(req, 0, sizeof(*req));
	rc = parse_method(&p, end);
	if (rc < 0 && rc != -405)
		return rc;
	req->method = rc;
	rc = parse_target(&p, end, req);
	rc = rc ? rc : parse_version(&p, end, req);
	if (rc)
		return rc;
	if (req->method == -405)
		return -405;
	req->keep_alive = req->minor == 1;
	while (end - p > 2) {		/* each header line, then CRLF */
		const char *eol = memchr(p, '\r', (size_t)(end - p));

		if (!eol || eol + 1 >= end || eol[1] != '\n')
			return -400;
		rc = header(p, (size_t)(eol - p), req);
		if (rc)
			return rc;
		p = eol + 2;
	}
	return (int)head;
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

const char *http_content_type(const char *path)
{
	static const char *const types[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css" }, { ".js", "text/javascript" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".png", "image/png" }, { ".svg", "image/svg+xml" },
		{ ".json", "application/json" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(*types); i++)
		if (!strcmp(dot, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}
