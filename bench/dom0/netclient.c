/*
 * netclient.c - the dom0 side of the network benchmarks
 * (scripts/iobench.sh), built statically on the host and run in the
 * testbed's dom0 against examples/netbench or the Linux bench guest.
 *
 *   netclient udp HOST SIZE WINDOW SECONDS
 *       SIZE-byte datagrams to HOST's UDP echo port (7), WINDOW of them
 *       in flight, for SECONDS. Prints
 *       "udp size=S window=W replies=N rate=R p50_us=X p99_us=Y lost=L"
 *       (rate: replies per second; latency: send to matching reply; a
 *       request unanswered for 200 ms counts as lost and is replaced).
 *       The clock is read once per reply and sends are stamped with
 *       that reading: in a PV dom0 each read is a system call.
 *   netclient tcp-send HOST SECONDS
 *       stream to the discard port (9) for SECONDS, then close and wait
 *       for the server's close: "tcp-send bytes=B seconds=T mbit_s=M"
 *   netclient tcp-recv HOST SECONDS
 *       read from the source port (19) for SECONDS:
 *       "tcp-recv bytes=B seconds=T mbit_s=M"
 *
 * HOST is IPv4 or IPv6 text. Exit status 0, or 1 with a message on
 * stderr (no connection, no reply at all).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define SLOTS		4096		/* requests tracked (> any window) */
#define LOST_NS		200000000ull
#define LAT_MAX		(1 << 20)
#define CLOCK_EVERY	(256u << 10)	/* TCP bytes between clock reads */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "netclient: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* An address of either family. */
struct addr {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} u;
	socklen_t len;
};

/* addr_of - HOST (IPv4 or IPv6 text) and port as a sockaddr. */
static struct addr addr_of(const char *host, int port)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, host, &a.u.in.sin_addr) == 1) {
		a.u.in.sin_family = AF_INET;
		a.u.in.sin_port = htons((uint16_t)port);
		a.len = sizeof(a.u.in);
	} else if (inet_pton(AF_INET6, host, &a.u.in6.sin6_addr) == 1) {
		a.u.in6.sin6_family = AF_INET6;
		a.u.in6.sin6_port = htons((uint16_t)port);
		a.len = sizeof(a.u.in6);
	} else {
		errno = EINVAL;
		die(host);
	}
	return a;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Requests in flight: the send time of sequence number seq lives in
 * slot seq % SLOTS while outstanding (0: free). */
static uint64_t sent_at[SLOTS];
static uint64_t lat[LAT_MAX];

/* udp_send - request seq, stamped with t: the clock as last read, just
 * before (a clock read is a system call in a PV dom0, ~30 us under the
 * testbed, so the client reads it once per reply, not per send). */
static int udp_send(int fd, char *buf, size_t size, uint64_t seq, uint64_t t)
{
	memcpy(buf, &seq, sizeof(seq));
	sent_at[seq % SLOTS] = t;
	return send(fd, buf, size, 0) == (ssize_t)size ? 0 : -1;
}

static int cmd_udp(const char *host, size_t size, int window, double secs)
{
	struct addr a = addr_of(host, 7);
	int fd = socket(a.u.sa.sa_family, SOCK_DGRAM, 0);
	uint64_t next = 1, oldest = 1, replies = 0, lost = 0, t0, t, end;
	struct timeval wait = { .tv_usec = 50000 };
	char buf[2048], in[2048];
	int out = 0;

	if (size < 8 || size > sizeof(buf) || window < 1 || window > SLOTS / 2) {
		fprintf(stderr, "netclient: size 8..2048, window 1..%d\n", SLOTS / 2);
		return 1;
	}
	if (fd < 0 || connect(fd, &a.u.sa, a.len) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait)))
		die("udp socket");
	memset(buf, 'u', size);
	t = t0 = now_ns();
	end = t0 + (uint64_t)(secs * 1e9);
	while (t < end) {
		uint64_t seq;
		ssize_t got;

		while (out < window && !udp_send(fd, buf, size, next, t)) {
			next++;
			out++;
		}
		got = recv(fd, in, sizeof(in), 0);	/* or 50 ms pass */
		t = now_ns();
		if (got >= 8) {
			memcpy(&seq, in, sizeof(seq));
			if (seq >= oldest && seq < next && sent_at[seq % SLOTS]) {
				if (replies < LAT_MAX)
					lat[replies] = t - sent_at[seq % SLOTS];
				sent_at[seq % SLOTS] = 0;
				replies++;
				out--;
			}
		}
		/* Requests unanswered for LOST_NS are lost: stop waiting. */
		while (oldest < next && (!sent_at[oldest % SLOTS] ||
					 t - sent_at[oldest % SLOTS] > LOST_NS)) {
			if (sent_at[oldest % SLOTS]) {
				sent_at[oldest % SLOTS] = 0;
				lost++;
				out--;
			}
			oldest++;
		}
	}
	if (!replies) {
		fprintf(stderr, "netclient: no UDP reply from %s\n", host);
		return 1;
	}
	uint64_t n = replies < LAT_MAX ? replies : LAT_MAX;

	qsort(lat, n, sizeof(lat[0]), cmp_u64);
	printf("udp size=%zu window=%d replies=%llu rate=%.0f p50_us=%.1f "
	       "p99_us=%.1f lost=%llu\n", size, window,
	       (unsigned long long)replies, replies / ((now_ns() - t0) / 1e9),
	       lat[n / 2] / 1e3, lat[n * 99 / 100] / 1e3, (unsigned long long)lost);
	return 0;
}

static int tcp_connect(const char *host, int port)
{
	struct addr a = addr_of(host, port);
	int fd = socket(a.u.sa.sa_family, SOCK_STREAM, 0);

	if (fd < 0 || connect(fd, &a.u.sa, a.len))
		die("tcp connect");
	return fd;
}

static int cmd_tcp(const char *host, int send_side, double secs)
{
	static char buf[65536];
	int fd = tcp_connect(host, send_side ? 9 : 19);
	uint64_t t0 = now_ns(), end = t0 + (uint64_t)(secs * 1e9), bytes = 0;
	uint64_t checked = 0;
	double el;

	memset(buf, 'c', sizeof(buf));
	for (;;) {
		ssize_t n = send_side ? write(fd, buf, sizeof(buf))
				      : read(fd, buf, sizeof(buf));

		if (n <= 0)
			die(send_side ? "tcp write" : "tcp read");
		bytes += (uint64_t)n;
		/* The clock every CLOCK_EVERY bytes, not per call: a read
		 * may return a few KiB, and a clock read costs a system
		 * call (see udp_send). */
		if (bytes - checked >= CLOCK_EVERY) {
			checked = bytes;
			if (now_ns() >= end)
				break;
		}
	}
	if (send_side) {
		/* Every byte is in only when the server has read to EOF. */
		shutdown(fd, SHUT_WR);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
	}
	el = (now_ns() - t0) / 1e9;
	close(fd);
	printf("tcp-%s bytes=%llu seconds=%.2f mbit_s=%.1f\n",
	       send_side ? "send" : "recv", (unsigned long long)bytes, el,
	       bytes * 8 / el / 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[1], "udp"))
		return cmd_udp(argv[2], (size_t)atoi(argv[3]), atoi(argv[4]),
			       atof(argv[5]));
	if (argc == 4 && !strcmp(argv[1], "tcp-send"))
		return cmd_tcp(argv[2], 1, atof(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "tcp-recv"))
		return cmd_tcp(argv[2], 0, atof(argv[3]));
	fprintf(stderr, "usage: netclient udp HOST SIZE WINDOW SECONDS | "
		"tcp-send HOST SECONDS | tcp-recv HOST SECONDS\n");
	return 2;
}
