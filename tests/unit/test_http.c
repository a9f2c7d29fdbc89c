/*
 * test_http.c - the httpd example's request parser: good requests,
 * keep-alive rules, pipelining, every error status, and hostile input
 * (every truncation of good requests, random bytes) under ASan with
 * buffers exactly as long as the input.
 */
#include <stdlib.h>
#include <string.h>
#include "examples/httpd/http.c"
#include "unit.h"

/* parse - http_parse over a heap copy of exactly strlen(s) bytes. */
static int parse(const char *s, struct http_req *req)
{
	size_t n = strlen(s);
	char *b = malloc(n ? n : 1);
	int rc;

	memcpy(b, s, n);
	rc = http_parse(b, n, req);
	free(b);
	return rc;
}

static void good_requests(void)
{
	struct http_req r;
	const char *g = "GET /index.html?x=1 HTTP/1.1\r\nHost: a\r\n\r\n";

	EXPECT(parse(g, &r) == (int)strlen(g), "length %d", parse(g, &r));
	EXPECT(r.method == HTTP_GET && !strcmp(r.path, "/index.html") &&
	       r.minor == 1 && r.keep_alive, "fields: %d %s %d %d", r.method,
	       r.path, r.minor, r.keep_alive);
	EXPECT(parse("HEAD / HTTP/1.0\r\n\r\n", &r) > 0 && r.method == HTTP_HEAD &&
	       !r.keep_alive, "HTTP/1.0 closes by default");
	EXPECT(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &r) > 0 &&
	       r.keep_alive, "1.0 keep-alive asked");
	EXPECT(parse("GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n", &r) > 0 &&
	       !r.keep_alive, "1.1 close asked");
	EXPECT(parse("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", &r) > 0,
	       "an empty body is fine");
}

static void pipelined(void)
{
	struct http_req r;
	const char *two = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
	int n = parse(two, &r);

	EXPECT(n == 19 && !strcmp(r.path, "/a"), "first: %d %s", n, r.path);
	EXPECT(parse(two + n, &r) == 19 && !strcmp(r.path, "/b"), "second: %s",
	       r.path);
}

static void errors(void)
{
	struct http_req r;
	char big[HTTP_HEADER_MAX + 16], path[600];

	EXPECT(parse("GET / HTTP/1.1\r\n", &r) == 0, "incomplete must wait");
	EXPECT(parse("POST / HTTP/1.1\r\n\r\n", &r) == -405, "POST");
	EXPECT(parse("get / HTTP/1.1\r\n\r\n", &r) == -400, "lower-case method");
	EXPECT(parse("GET index HTTP/1.1\r\n\r\n", &r) == -400, "no slash");
	EXPECT(parse("GET /../etc HTTP/1.1\r\n\r\n", &r) == -400, "dot-dot");
	EXPECT(parse("GET / HTTP/2.0\r\n\r\n", &r) == -505, "HTTP/2");
	EXPECT(parse("GET / FTP/1.0\r\n\r\n", &r) == -400, "not HTTP");
	EXPECT(parse("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", &r) == -413,
	       "a body");
	EXPECT(parse("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &r) ==
	       -413, "chunked body");
	EXPECT(parse("GET / HTTP/1.1\r\nNoColon\r\n\r\n", &r) == -400, "bad header");
	EXPECT(parse("GET / HTTP/1.1\r\nA b: c\r\n\r\n", &r) == -400,
	       "blank in a header name");
	EXPECT(parse("GET / HTTP/1.1\nHost: a\r\n\r\n", &r) == -400, "bare LF");
	memset(path, 'a', sizeof(path));
	path[0] = '/';
	snprintf(big, sizeof(big), "GET %.*s HTTP/1.1\r\n\r\n", 300, path);
	EXPECT(parse(big, &r) == -414, "long path");
	memset(big, 'x', sizeof(big));
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	big[sizeof(big) - 1] = '\0';
	EXPECT(parse(big, &r) == -431, "head too long");
}

/* truncations - every prefix of good requests is "not yet" or, for a
 * head cut inside its blank line, still not a request. */
static void truncations(void)
{
	static const char *const reqs[] = {
		"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		"HEAD /stats?a=b HTTP/1.0\r\nUser-Agent: ab\r\n\r\n",
	};
	struct http_req r;

	for (size_t k = 0; k < 2; k++) {
		size_t n = strlen(reqs[k]);

		for (size_t i = 0; i < n; i++) {
			char *b = malloc(i ? i : 1);
			int rc;

			memcpy(b, reqs[k], i);
			rc = http_parse(b, i, &r);
			free(b);
			EXPECT(rc == 0, "request %zu cut at %zu gave %d", k, i, rc);
		}
	}
}

static void random_bytes(void)
{
	struct http_req r;

	srand(3);
	for (int round = 0; round < 20000 && !unit_failures; round++) {
		size_t n = (size_t)rand() % 300;
		char *b = malloc(n + 4);
		int rc;

		for (size_t i = 0; i < n; i++)
			b[i] = (char)(rand() % 4 ? "GET /a HTTP1.\r\n: x"[rand() % 18]
					     : rand());
		memcpy(b + n, "\r\n\r\n", 4);
		rc = http_parse(b, n + 4, &r);
		EXPECT(rc <= (int)(n + 4), "length %d past the input", rc);
		if (rc > 0)
			EXPECT(r.path[0] == '/' && strlen(r.path) < HTTP_PATH_MAX,
			       "bad path accepted");
		free(b);
	}
}

static void types(void)
{
	EXPECT(!strcmp(http_content_type("/a.html"), "text/html; charset=utf-8"),
	       "html");
	EXPECT(!strcmp(http_content_type("/a"), "application/octet-stream"),
	       "no extension");
	EXPECT(!strcmp(http_reason(404), "Not Found"), "reason");
}

int main(void)
{
	static const struct unit units[] = { UNIT(good_requests), UNIT(pipelined),
		UNIT(errors), UNIT(truncations), UNIT(random_bytes), UNIT(types) };

	return RUN_UNITS("http", units);
}
