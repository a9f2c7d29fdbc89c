/*
 * httpd - a static web server on lwIP sockets: the files of
 * examples/httpd/site/ are compiled in (scripts/mkembed.sh), "/" is
 * "/index.html", and "/stats" reports requests, connections, packet and
 * memory counters as text. HTTP/1.1 keep-alive and pipelining; one
 * thread per connection on Minnow's scheduler; a connection idle for
 * IDLE_S seconds is closed, and when CONN_MAX are open a new one gets
 * 503 and is closed. IPv4 and IPv6: one dual-stack socket bound to ::.
 *
 *   httpd [ADDRESSES [GATEWAY]]     no address: the vif's ip=, or DHCP
 *
 * ADDRESSES as net_init() takes them: "10.0.0.7/24", "10.0.0.7/24,fd00::7".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <minnow/minnow.h>
#include <minnow/mm.h>
#include <minnow/net.h>
#include <minnow/sched.h>
#include "http.h"

#define PORT		80
#define CONN_MAX	(NET_SOCKETS_MAX - 8)
#define IDLE_S		10
#define UP_TIMEOUT_NS	30000000000ULL

struct embed_file { const char *path; const unsigned char *data; unsigned long size; };
extern const struct embed_file embed_files[];
extern const unsigned long embed_count;

static unsigned long requests, responses[6], conns_open, conns_total,
	conns_refused, idle_closed;

/* write_all - send all n bytes; 0 or -1. */
static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* find_file - the compiled-in file for path, or NULL. */
static const struct embed_file *find_file(const char *path)
{
	if (!strcmp(path, "/"))
		path = "/index.html";
	for (unsigned long i = 0; i < embed_count; i++)
		if (!strcmp(embed_files[i].path, path))
			return &embed_files[i];
	return NULL;
}

/* stats_text - the /stats page into buf; its length. */
static size_t stats_text(char *buf, size_t size)
{
	struct net_stats n;
	struct mm_stats m;
	int len;

	net_stats_get(&n);
	mm_stats_get(&m);
	len = snprintf(buf, size,
		"requests %lu\nresponses_2xx %lu\nresponses_4xx %lu\n"
		"responses_5xx %lu\nconnections_open %lu\nconnections_total %lu\n"
		"connections_refused %lu\nconnections_idle_closed %lu\n"
		"net_rx_frames %lu\nnet_rx_bytes %lu\nnet_rx_dropped %lu\n"
		"net_rx_csum_bad %lu\nnet_tx_frames %lu\nnet_tx_bytes %lu\n"
		"net_tx_errors %lu\nvif_bad_responses %lu\n"
		"mem_pages_total %lu\nmem_pages_free %lu\nmem_heap_bytes %lu\n"
		"mem_heap_failures %lu\n",
		requests, responses[2], responses[4], responses[5], conns_open,
		conns_total, conns_refused, idle_closed, n.rx_frames, n.rx_bytes,
		n.rx_dropped, n.rx_csum_bad, n.tx_frames, n.tx_bytes, n.tx_errors,
		n.vif.bad_responses, m.pages_total, m.pages_free,
		m.heap_bytes_in_use, m.heap_failures);
	return len < 0 ? 0 : (size_t)len < size ? (size_t)len : size - 1;
}

#define ONE_WRITE_MAX	4096	/* bodies sent in the same write as the head */

/* respond - one response: head, then body unless head_only; a small
 * body goes in the same write, so that head and body leave in one
 * segment. 0 or -1. */
static int respond(int fd, int status, const char *type, const void *body,
		   size_t len, int keep_alive, int head_only)
{
	char head[256 + ONE_WRITE_MAX];
	int n = snprintf(head, 256,
			 "HTTP/1.1 %d %s\r\nServer: minnow-httpd\r\n"
			 "Content-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: %s\r\n\r\n", status, http_reason(status),
			 type, len, keep_alive ? "keep-alive" : "close");

	responses[status / 100 <= 5 ? status / 100 : 5]++;
	if (n < 0 || n >= 256)
		return -1;
	if (!head_only && len && len <= ONE_WRITE_MAX) {
		memcpy(head + n, body, len);
		return write_all(fd, head, (size_t)n + len);
	}
	if (write_all(fd, head, (size_t)n))
		return -1;
	return head_only || !len ? 0 : write_all(fd, body, len);
}

/* error_page - status with a one-line text body; the connection closes. */
static void error_page(int fd, int status)
{
	char body[80];
	int n = snprintf(body, sizeof(body), "%d %s\n", status,
			 http_reason(status));

	respond(fd, status, "text/plain; charset=utf-8", body, (size_t)n, 0, 0);
}

/* serve_request - answer one parsed request. 0 or -1 (close). */
static int serve_request(int fd, const struct http_req *req)
{
	static char stats[2048];
	const struct embed_file *f;
	int head_only = req->method == HTTP_HEAD;

	requests++;
	if (!strcmp(req->path, "/stats"))
		return respond(fd, 200, "text/plain; charset=utf-8", stats,
			       stats_text(stats, sizeof(stats)), req->keep_alive,
			       head_only);
	f = find_file(req->path);
	if (!f) {
		static const char nf[] = "404 Not Found\n";

		return respond(fd, 404, "text/plain; charset=utf-8", nf,
			       sizeof(nf) - 1, req->keep_alive, head_only);
	}
	return respond(fd, 200, http_content_type(f->path), f->data, f->size,
		       req->keep_alive, head_only);
}

/* serve_conn - a connection's thread: requests until close or idle. */
static void *serve_conn(void *arg)
{
	char buf[HTTP_HEADER_MAX];
	int fd = (int)(long)arg;
	size_t have = 0;

	for (;;) {
		struct http_req req;
		int rc = http_parse(buf, have, &req);
		ssize_t n;

		if (rc > 0) {
			if (serve_request(fd, &req) || !req.keep_alive)
				break;
			memmove(buf, buf + rc, have - (size_t)rc);
			have -= (size_t)rc;
			continue;
		}
		if (rc < 0) {
			error_page(fd, -rc);
			break;
		}
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n <= 0) {
			if (n < 0 && errno == EAGAIN)
				idle_closed++;
			break;
		}
		have += (size_t)n;
	}
	close(fd);
	conns_open--;
	return NULL;
}

/* listen_on - the listening dual-stack socket, or -1. */
static int listen_on(int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons((uint16_t)port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int fd = socket(AF_INET6, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 64)) {
		printf("httpd: bind/listen: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* start_conn - a thread for fd, or 503 when too many are open. */
static void start_conn(int fd)
{
	struct thread_attr attr = { .name = "http-conn", .detached = 1 };
	struct timeval idle = { .tv_sec = IDLE_S };
	struct thread *t;
	int one = 1;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
	/* Each response is complete when written: no waiting for an ACK of
	 * the previous one (Nagle) before the next goes out. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (conns_open >= CONN_MAX ||
	    thread_create(&t, &attr, serve_conn, (void *)(long)fd)) {
		conns_refused++;
		error_page(fd, 503);
		close(fd);
		return;
	}
	conns_open++;
	conns_total++;
}

static void on_shutdown(int reason)
{
	(void)reason;
	printf("httpd: stopped: %lu requests (2xx %lu, 4xx %lu, 5xx %lu), "
	       "%lu connections, %lu refused, %lu idle-closed\n", requests,
	       responses[2], responses[4], responses[5], conns_total,
	       conns_refused, idle_closed);
	net_close();
}

int main(int argc, char **argv)
{
	struct net_info info;
	int rc, fd;

	rc = net_init(argc > 1 ? argv[1] : NULL, argc > 2 ? argv[2] : NULL);
	if (rc) {
		printf("httpd: net_init: %s\n", strerror(-rc));
		return rc == -EINVAL ? 2 : 1;
	}
	minnow_set_shutdown_hook(on_shutdown);
	if (net_wait_up(UP_TIMEOUT_NS)) {
		printf("httpd: no address\n");
		return 1;
	}
	fd = listen_on(PORT);
	if (fd < 0)
		return 1;
	net_info_get(&info);
	printf("httpd: ready %u.%u.%u.%u port %d, %lu files\n", info.addr[0],
	       info.addr[1], info.addr[2], info.addr[3], PORT, embed_count);
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0)
			start_conn(c);
		else
			thread_sleep_ns(10000000ULL);	/* out of sockets */
	}
}
