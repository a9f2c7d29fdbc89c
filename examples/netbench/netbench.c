/*
 * netbench - the Minnow half of the network benchmarks
 * (scripts/iobench.sh): the same three services as the Linux bench
 * guest's /init (bench/linux/io.c), so one dom0 client measures both.
 *
 *   UDP 7    echo: every datagram goes back to its sender as it came
 *   TCP 9    discard: read and drop until the peer closes, then close
 *   TCP 19   source: send 64 KiB buffers until the peer closes
 *
 * One thread per TCP connection, one for UDP. On `xl shutdown` it
 * prints its counters and where the vCPU's time went (Xen's runstate)
 * since the first datagram; per datagram too if no TCP connection came,
 * which splits a UDP round trip into the guest's share and the rest.
 *
 *   netbench [A.B.C.D/N [GATEWAY]]     no address: the vif's ip=, or DHCP
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <minnow/minnow.h>
#include <minnow/net.h>
#include <minnow/sched.h>
#include <minnow/xen.h>

#define ECHO_PORT	7
#define DISCARD_PORT	9
#define SOURCE_PORT	19
#define TCP_BUF		65536
#define UP_TIMEOUT_NS	30000000000ULL

static unsigned long datagrams, discarded, sourced, connections, errors;
static char source_buf[TCP_BUF];
static struct xen_runstate first_datagram;	/* running_ns 0: none yet */

/* udp_echo - the UDP echo thread. */
static void *udp_echo(void *arg)
{
	int fd = (int)(long)arg;
	char buf[2048];

	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (n < 0) {
			errors++;
			continue;
		}
		if (!datagrams && xen_runstate_get(&first_datagram))
			first_datagram.running_ns = 0;
		if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl) != n)
			errors++;
		datagrams++;
	}
	return NULL;
}

/* discard_conn - read and drop until EOF. */
static void *discard_conn(void *arg)
{
	int fd = (int)(long)arg;
	static char sink[TCP_BUF];	/* never read back: shared is fine */
	ssize_t n;

	while ((n = read(fd, sink, sizeof(sink))) > 0)
		discarded += (unsigned long)n;
	if (n < 0)
		errors++;
	close(fd);
	return NULL;
}

/* source_conn - write until the peer goes. */
static void *source_conn(void *arg)
{
	int fd = (int)(long)arg;
	ssize_t n;

	while ((n = write(fd, source_buf, sizeof(source_buf))) > 0)
		sourced += (unsigned long)n;
	close(fd);
	return NULL;
}

/* open_socket - a bound socket of type on port (listening for TCP):
 * IPv4 only for UDP (the rate benchmark's path stays plain IPv4), both
 * IPv4 and IPv6 (bound to ::) for TCP. */
static int open_socket(int type, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons((uint16_t)port) };
	int v6 = type == SOCK_STREAM;
	int fd = socket(v6 ? AF_INET6 : AF_INET, type, 0);

	if (fd < 0 || (v6 ? bind(fd, (struct sockaddr *)&a6, sizeof(a6))
			  : bind(fd, (struct sockaddr *)&a, sizeof(a))) ||
	    (type == SOCK_STREAM && listen(fd, 16))) {
		printf("netbench: port %d: %s\n", port, strerror(errno));
		return -1;
	}
	return fd;
}

/* Each listening socket's acceptor: its fd and connection thread. */
struct acceptor {
	int fd;
	void *(*fn)(void *);
};

/* accept_loop - one thread per accepted connection. */
static void *accept_loop(void *arg)
{
	struct acceptor *a = arg;
	struct thread_attr attr = { .name = "bench-conn", .detached = 1 };

	for (;;) {
		int c = accept(a->fd, NULL, NULL), one = 1;

		if (c < 0) {
			errors++;
			thread_sleep_ns(10000000);
			continue;
		}
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		connections++;
		if (thread_create(NULL, &attr, a->fn, (void *)(long)c)) {
			errors++;
			close(c);
		}
	}
	return NULL;
}

/* print_runstate - the vCPU's time since the first datagram: in all,
 * and per datagram when only UDP was served. */
static void print_runstate(void)
{
	struct xen_runstate now, *t0 = &first_datagram;
	unsigned long long run, wait, blocked;

	if (!t0->running_ns || xen_runstate_get(&now))
		return;
	run = (now.running_ns - t0->running_ns) / 1000;
	wait = (now.runnable_ns - t0->runnable_ns) / 1000;
	blocked = (now.blocked_ns - t0->blocked_ns) / 1000;
	printf("netbench: vCPU since the first datagram: running %llu us, "
	       "runnable %llu us, blocked %llu us\n", run, wait, blocked);
	if (!connections && datagrams)
		printf("netbench: per datagram: running %llu us, runnable "
		       "%llu us, blocked %llu us\n", run / datagrams,
		       wait / datagrams, blocked / datagrams);
}

static void on_shutdown(int reason)
{
	struct net_stats s;

	(void)reason;
	printf("netbench: stopped: %lu datagrams echoed, %lu connections, "
	       "%lu bytes discarded, %lu bytes sent, %lu errors\n", datagrams,
	       connections, discarded, sourced, errors);
	net_close();
	net_stats_get(&s);
	printf("netbench: frames in %lu (%lu GSO), out %lu segments in %lu "
	       "packets (%lu GSO), %lu send errors\n", s.vif.rx_packets,
	       s.vif.rx_gso, s.tx_frames, s.vif.tx_packets, s.vif.tx_gso,
	       s.tx_errors);
	print_runstate();
}

int main(int argc, char **argv)
{
	static struct acceptor acc[2] = { { -1, discard_conn },
					  { -1, source_conn } };
	struct thread_attr attr = { .name = "bench-srv", .detached = 1 };
	struct net_info info;
	int rc, udp;

	rc = net_init(argc > 1 ? argv[1] : NULL, argc > 2 ? argv[2] : NULL);
	if (rc || (rc = net_wait_up(UP_TIMEOUT_NS))) {
		printf("netbench: network: %s\n", strerror(-rc));
		return 1;
	}
	minnow_set_shutdown_hook(on_shutdown);
	memset(source_buf, 'm', sizeof(source_buf));
	udp = open_socket(SOCK_DGRAM, ECHO_PORT);
	acc[0].fd = open_socket(SOCK_STREAM, DISCARD_PORT);
	acc[1].fd = open_socket(SOCK_STREAM, SOURCE_PORT);
	if (udp < 0 || acc[0].fd < 0 || acc[1].fd < 0)
		return 1;
	if (thread_create(NULL, &attr, udp_echo, (void *)(long)udp) ||
	    thread_create(NULL, &attr, accept_loop, &acc[0]) ||
	    thread_create(NULL, &attr, accept_loop, &acc[1]))
		return 1;
	net_info_get(&info);
	printf("netbench: ready %u.%u.%u.%u\n", info.addr[0], info.addr[1],
	       info.addr[2], info.addr[3]);
	for (;;)
		thread_sleep_ns(1000000000ULL * 3600);
}
