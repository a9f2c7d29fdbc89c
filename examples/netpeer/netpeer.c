/*
 * netpeer - a network client that checks other guests' echo servers, so
 * that two (or more) Minnow guests talk to each other over dom0's bridge.
 * One thread, non-blocking sockets, select() for every wait:
 *
 * - udp: 200 datagrams of 1 to 1472 bytes to UDP_PEER port 7, each
 *   answered intact (a lost one is sent again, up to 3 times);
 * - tcp: a non-blocking connect() to TCP_PEER port 7 (select() for
 *   writability, then SO_ERROR), then 4 MiB sent while the echo is read
 *   back and compared, both at once in one select() loop;
 * - select-timeout: select() on a socket nothing arrives on returns 0
 *   after its timeout, not before.
 *
 * Each check prints "netpeer: PASS <name> (...)" or "netpeer: FAIL
 * <name>: <why>"; then the guest powers off (exit status 1 if any failed).
 *
 *   netpeer A.B.C.D/N UDP_PEER TCP_PEER
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <minnow/net.h>

#define ECHO_PORT	7
#define UDP_COUNT	200
#define UDP_TRIES	3
#define TCP_BYTES	(4u << 20)
#define WAIT_MS		5000	/* the longest any select() may wait */

static int failures;

/* verdict - print one check's verdict line (ok: PASS, else FAIL). */
static void verdict(int ok, const char *name, const char *detail)
{
	printf("netpeer: %s %s%s%s%s\n", ok ? "PASS" : "FAIL", name,
	       ok ? " (" : ": ", detail, ok ? ")" : "");
	failures += !ok;
}

/* now_ms - the monotonic clock in milliseconds. */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* pattern_byte - byte i of the stream numbered seed. */
static uint8_t pattern_byte(size_t i, unsigned int seed)
{
	return (uint8_t)((i * 31 + seed + (i >> 8)) & 0xff);
}

/* fill - n bytes of stream seed, from offset off, into buf. */
static void fill(uint8_t *buf, size_t n, size_t off, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = pattern_byte(off + i, seed);
}

/* wait_fd - select() until fd is readable (rd) or writable (!rd), at
 * most ms milliseconds: 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, int rd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = (ms % 1000) * 1000 };
	fd_set set;

	FD_ZERO(&set);
	FD_SET(fd, &set);
	return select(fd + 1, rd ? &set : NULL, rd ? NULL : &set, NULL, &tv);
}

/* peer_socket - a non-blocking socket of type with *to set to peer's
 * echo port; the descriptor or -1. */
static int peer_socket(int type, const char *peer, struct sockaddr_in *to)
{
	int fd;

	memset(to, 0, sizeof(*to));
	to->sin_family = AF_INET;
	to->sin_port = htons(ECHO_PORT);
	if (inet_aton(peer, &to->sin_addr) == 0)
		return -1;
	fd = socket(AF_INET, type, 0);
	if (fd >= 0 && fcntl(fd, F_SETFL, O_NONBLOCK)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* udp_exchange - send n bytes of buf to *to on fd and wait for the same
 * n bytes back; 1 if they came back intact, else 0. */
static int udp_exchange(int fd, const struct sockaddr_in *to,
			const uint8_t *buf, size_t n)
{
	static uint8_t back[2048];

	for (int t = 0; t < UDP_TRIES; t++) {
		if (sendto(fd, buf, n, 0, (const struct sockaddr *)to,
			   sizeof(*to)) != (ssize_t)n)
			return 0;
		while (wait_fd(fd, 1, 1000) == 1) {
			ssize_t got = recv(fd, back, sizeof(back), 0);

			if (got == (ssize_t)n && !memcmp(back, buf, n))
				return 1;
			if (got < 0 && errno != EAGAIN)
				return 0;
		}
	}
	return 0;
}

/* check_udp - the udp check against peer. */
static void check_udp(const char *peer)
{
	static uint8_t buf[1472];
	struct sockaddr_in to;
	int fd = peer_socket(SOCK_DGRAM, peer, &to), ok = 0;
	char detail[96];

	for (int i = 1; fd >= 0 && i <= UDP_COUNT; i++) {
		size_t n = 1 + (size_t)(i * 37) % sizeof(buf);

		if (i == 1 || i == UDP_COUNT)
			n = i == 1 ? 1 : sizeof(buf);
		fill(buf, n, 0, (unsigned int)i);
		ok += udp_exchange(fd, &to, buf, n);
	}
	if (fd >= 0)
		close(fd);
	snprintf(detail, sizeof(detail), "%d of %d datagrams to %s echoed "
		 "intact", ok, UDP_COUNT, peer);
	verdict(ok == UDP_COUNT, "udp", detail);
}

/* tcp_connect - connect fd to *to without blocking: select() for
 * writability, then SO_ERROR. 0 or an errno value. */
static int tcp_connect(int fd, const struct sockaddr_in *to)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (!connect(fd, (const struct sockaddr *)to, sizeof(*to)))
		return 0;
	if (errno != EINPROGRESS)
		return errno;
	if (wait_fd(fd, 0, WAIT_MS) != 1)
		return ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return errno;
	return err;
}

/* A full-duplex stream: what was sent and what came back so far. */
struct stream {
	int fd;
	size_t sent, got;
	int bad;		/* the first wrong byte was seen */
};

/* stream_send - send what the socket takes now. -1 on an error. */
static int stream_send(struct stream *s)
{
	static uint8_t buf[8192];
	size_t n = TCP_BYTES - s->sent < sizeof(buf) ? TCP_BYTES - s->sent :
						       sizeof(buf);
	ssize_t w;

	fill(buf, n, s->sent, 7);
	w = send(s->fd, buf, n, 0);
	if (w < 0)
		return errno == EAGAIN ? 0 : -1;
	s->sent += (size_t)w;
	if (s->sent == TCP_BYTES)
		shutdown(s->fd, SHUT_WR);
	return 0;
}

/* stream_recv - take what arrived and compare it. -1 on an error or
 * an early end. */
static int stream_recv(struct stream *s)
{
	static uint8_t buf[8192];
	ssize_t r = recv(s->fd, buf, sizeof(buf), 0);

	if (r < 0)
		return errno == EAGAIN ? 0 : -1;
	if (r == 0)
		return s->got == TCP_BYTES ? 0 : -1;
	for (ssize_t i = 0; i < r && !s->bad; i++)
		s->bad = buf[i] != pattern_byte(s->got + (size_t)i, 7);
	s->got += (size_t)r;
	return 0;
}

/* stream_run - the select() loop until all came back; 0 or -1. */
static int stream_run(struct stream *s)
{
	while (s->got < TCP_BYTES && !s->bad) {
		struct timeval tv = { .tv_sec = WAIT_MS / 1000 };
		fd_set rd, wr;

		FD_ZERO(&rd);
		FD_ZERO(&wr);
		FD_SET(s->fd, &rd);
		if (s->sent < TCP_BYTES)
			FD_SET(s->fd, &wr);
		if (select(s->fd + 1, &rd, &wr, NULL, &tv) <= 0)
			return -1;	/* an error, or 5 s without progress */
		if (FD_ISSET(s->fd, &wr) && stream_send(s))
			return -1;
		if (FD_ISSET(s->fd, &rd) && stream_recv(s))
			return -1;
	}
	return s->bad ? -1 : 0;
}

/* check_tcp - the tcp check against peer. */
static void check_tcp(const char *peer)
{
	struct sockaddr_in to;
	struct stream s = { .fd = peer_socket(SOCK_STREAM, peer, &to) };
	uint64_t t0 = now_ms();
	char detail[128];
	int err = s.fd < 0 ? errno : tcp_connect(s.fd, &to);
	int ok = !err && !stream_run(&s);

	if (s.fd >= 0)
		close(s.fd);
	if (err)
		snprintf(detail, sizeof(detail), "connect to %s: %s", peer,
			 strerror(err));
	else
		snprintf(detail, sizeof(detail), "%zu of %u bytes sent, %zu "
			 "echoed by %s%s, %llu ms", s.sent, TCP_BYTES, s.got,
			 peer, s.bad ? " with a wrong byte" : " intact",
			 (unsigned long long)(now_ms() - t0));
	verdict(ok, "tcp", detail);
}

/* check_select_timeout - select() on a quiet socket waits its timeout. */
static void check_select_timeout(void)
{
	struct sockaddr_in to;
	int fd = peer_socket(SOCK_DGRAM, "127.0.0.1", &to);
	uint64_t t0 = now_ms(), ms;
	int rc = fd < 0 ? -1 : wait_fd(fd, 1, 200);
	char detail[96];

	ms = now_ms() - t0;
	if (fd >= 0)
		close(fd);
	snprintf(detail, sizeof(detail), "select returned %d after %llu ms "
		 "of 200", rc, (unsigned long long)ms);
	verdict(rc == 0 && ms >= 200 && ms < 2000, "select-timeout", detail);
}

int main(int argc, char **argv)
{
	int rc;

	if (argc != 4) {
		printf("usage: netpeer A.B.C.D/N UDP_PEER TCP_PEER\n");
		return 2;
	}
	rc = net_init(argv[1], NULL);
	if (rc) {
		printf("netpeer: network: %s\n", strerror(-rc));
		return rc == -EINVAL ? 2 : 1;
	}
	printf("netpeer: up as %s\n", argv[1]);
	check_select_timeout();
	check_udp(argv[2]);
	check_tcp(argv[3]);
	net_close();
	return failures ? 1 : 0;
}
