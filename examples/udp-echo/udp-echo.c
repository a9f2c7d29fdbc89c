/*
 * udp-echo - UDP echo servers over lwIP's BSD sockets: every datagram
 * goes back to its sender unchanged.
 *
 * - Port 7 (RFC 862): recvfrom()/sendto(), any number of peers.
 * - Port 7007: one peer at a time through read() and write() on a
 *   connected socket (what POSIX code does with descriptors); an empty
 *   datagram ends the session: the socket is closed with close() and a
 *   fresh one waits for the next peer.
 * - Port 7008: any datagram gets one text line back with the counters
 *   of frames dropped before lwIP (malformed, oversized...), so a test
 *   can watch them while it sends bad frames.
 *
 * One thread serves all three, with poll(). Every socket is IPv6 and
 * dual-stack (bound to ::), so IPv4 peers are served too (lwIP shows them
 * as ::ffff:A.B.C.D). On `xl shutdown` it closes the network and prints
 * its counters.
 *
 *   udp-echo [ADDRESSES [GATEWAY]]     no address: DHCP
 *
 * ADDRESSES as net_init() takes them: "10.0.0.3/24", "10.0.0.3/24,fd00::3".
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <minnow/minnow.h>
#include <minnow/net.h>

#define ECHO_PORT	7
#define RW_PORT		7007
#define STATS_PORT	7008	/* any datagram: the drop counters back */
#define UP_TIMEOUT_NS	(30 * 1000000000ULL)	/* for DHCP */

static char buf[65536];
static unsigned long echoed, echoed_bytes, rw_echoed, rw_sessions;
static unsigned long recv_errors, send_errors;

/* drops_text - the receive drop counters as one line into b. */
static int drops_text(char *b, size_t size)
{
	struct net_stats s;

	net_stats_get(&s);
	return snprintf(b, size, "runt %lu oversize %lu other-type %lu arp %lu "
			"ip %lu l4 %lu csum %lu dropped %lu frames %lu",
			s.rx_runt, s.rx_oversize, s.rx_other_type, s.rx_bad_arp,
			s.rx_bad_ip, s.rx_bad_l4, s.rx_csum_bad, s.rx_dropped,
			s.rx_frames);
}

/* stats_one - port 7008: answer a datagram with the drop counters. */
static void stats_one(int fd)
{
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	char line[256];
	int n;

	if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) < 0)
		return;
	n = drops_text(line, sizeof(line));
	sendto(fd, line, (size_t)n, 0, (struct sockaddr *)&from, fl);
}

static void on_shutdown(int reason)
{
	struct net_stats s;
	int rc;

	(void)reason;
	rc = net_close();
	net_stats_get(&s);
	printf("udp-echo: stopped (close %d): echoed %lu datagrams, %lu "
	       "bytes (port %d: %lu, port %d: %lu in %lu sessions); errors "
	       "recv %lu send %lu; frames rx %lu tx %lu, rx dropped %lu, "
	       "tx errors %lu, bad responses %lu\n", rc, echoed + rw_echoed,
	       echoed_bytes, ECHO_PORT, echoed, RW_PORT, rw_echoed,
	       rw_sessions, recv_errors, send_errors, s.rx_frames,
	       s.tx_frames, s.rx_dropped, s.tx_errors, s.vif.bad_responses);
	drops_text(buf, sizeof(buf));
	printf("udp-echo: receive drops: %s\n", buf);
}

/* open_udp - a dual-stack UDP socket bound to port; the descriptor or
 * -1. */
static int open_udp(int port)
{
	struct sockaddr_in6 sin = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);

	if (fd < 0) {
		printf("udp-echo: socket: %s\n", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		printf("udp-echo: bind port %d: %s\n", port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* count_echo - account for one echo of n bytes that sent ok or not. */
static int count_echo(ssize_t n, ssize_t sent, unsigned long *counter)
{
	if (sent != n) {
		send_errors++;
		return -1;
	}
	(*counter)++;
	echoed_bytes += (unsigned long)n;
	return 0;
}

/* echo_one - port 7: one datagram back to whoever sent it. */
static void echo_one(int fd)
{
	struct sockaddr_storage from;
	socklen_t len = sizeof(from);
	ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &len);

	if (n < 0) {
		recv_errors++;
		return;
	}
	count_echo(n, sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from,
			     len), &echoed);
}

/* A session of port 7007: the socket, connected to its peer or not yet. */
struct rw_session {
	int fd;
	int connected;
};

/* rw_first - the session's first datagram: connect to its sender. */
static ssize_t rw_first(struct rw_session *rw)
{
	struct sockaddr_storage from;
	socklen_t len = sizeof(from);
	ssize_t n = recvfrom(rw->fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &len);

	if (n < 0)
		return n;
	if (connect(rw->fd, (struct sockaddr *)&from, len)) {
		printf("udp-echo: connect: %s\n", strerror(errno));
		return -1;
	}
	rw->connected = 1;
	return n;
}

/* rw_one - port 7007: echo one datagram with read()/write(); an empty
 * one ends the session. */
static void rw_one(struct rw_session *rw)
{
	ssize_t n = rw->connected ? read(rw->fd, buf, sizeof(buf)) :
				    rw_first(rw);

	if (n < 0) {
		recv_errors++;
		return;
	}
	if (n > 0) {
		count_echo(n, write(rw->fd, buf, (size_t)n), &rw_echoed);
		return;
	}
	if (close(rw->fd))
		printf("udp-echo: close: %s\n", strerror(errno));
	rw_sessions++;
	rw->fd = open_udp(RW_PORT);	/* fails unless close() freed it */
	rw->connected = 0;
}

/* serve - both echoes and the stats port, forever. */
static void serve(int echo_fd, struct rw_session *rw, int stats_fd)
{
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = echo_fd, .events = POLLIN },
			{ .fd = rw->fd, .events = POLLIN },
			{ .fd = stats_fd, .events = POLLIN },
		};

		if (poll(p, 3, -1) < 0) {
			printf("udp-echo: poll: %s\n", strerror(errno));
			return;
		}
		if (p[0].revents & POLLIN)
			echo_one(echo_fd);
		if (p[1].revents & POLLIN)
			rw_one(rw);
		if (p[2].revents & POLLIN)
			stats_one(stats_fd);
	}
}

/* print_ipv6 - the interface's usable IPv6 addresses, one line. */
static void print_ipv6(const char *app, const struct net_info *info)
{
	char text[NET_IPV6_TEXT];

	printf("%s: ipv6", app);
	for (unsigned int i = 0; i < info->n6; i++)
		printf(" %s", net_ipv6_text(info->addr6[i], text,
					    sizeof(text)));
	printf("\n");
}

/* print_ready - the line tests wait for. */
static void print_ready(int fd)
{
	struct net_info info;

	net_info_get(&info);
	printf("udp-echo: ready %u.%u.%u.%u%s ports %d %d fd %d mac "
	       "%02x:%02x:%02x:%02x:%02x:%02x\n", info.addr[0], info.addr[1],
	       info.addr[2], info.addr[3], info.dhcp ? " (dhcp)" : "",
	       ECHO_PORT, RW_PORT, fd, info.mac[0], info.mac[1], info.mac[2],
	       info.mac[3], info.mac[4], info.mac[5]);
	print_ipv6("udp-echo", &info);
}

int main(int argc, char **argv)
{
	struct rw_session rw = { .fd = -1 };
	int rc, fd, stats_fd;

	rc = net_init(argc > 1 ? argv[1] : NULL, argc > 2 ? argv[2] : NULL);
	if (rc) {
		printf("udp-echo: net_init: %s\n", strerror(-rc));
		return rc == -EINVAL ? 2 : 1;
	}
	minnow_set_shutdown_hook(on_shutdown);
	rc = net_wait_up(UP_TIMEOUT_NS);
	if (rc) {
		printf("udp-echo: no address: %s\n", strerror(-rc));
		return 1;
	}
	fd = open_udp(ECHO_PORT);
	rw.fd = open_udp(RW_PORT);
	stats_fd = open_udp(STATS_PORT);
	if (fd < 0 || rw.fd < 0 || stats_fd < 0)
		return 1;
	print_ready(fd);
	serve(fd, &rw, stats_fd);
	return 1;
}
