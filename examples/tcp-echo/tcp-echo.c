/*
 * tcp-echo - a TCP echo server on lwIP sockets: port 7, one thread per
 * connection (read, write back, until the peer closes), IPv4 and IPv6
 * (one dual-stack socket bound to ::). On `xl shutdown` it prints its
 * counters.
 *
 *   tcp-echo [ADDRESSES [GATEWAY]]     no address: DHCP
 *
 * ADDRESSES as net_init() takes them: "10.0.0.4/24", "fd00::4"...
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <minnow/minnow.h>
#include <minnow/net.h>
#include <minnow/sched.h>

#define ECHO_PORT	7
#define UP_TIMEOUT_NS	30000000000ULL

static unsigned long connections, bytes, errors;

/* write_all - send all n bytes; 0 or -1. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* serve_one - echo one connection until EOF, then close it. */
static void *serve_one(void *arg)
{
	int fd = (int)(long)arg;
	char buf[8192];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write_all(fd, buf, (size_t)n)) {
			errors++;
			break;
		}
		bytes += (unsigned long)n;
	}
	if (n < 0)
		errors++;
	close(fd);
	return NULL;
}

/* listen_on - a listening dual-stack TCP socket on port, or -1. */
static int listen_on(int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons(port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int fd = socket(AF_INET6, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 8)) {
		printf("tcp-echo: cannot listen on %d: %s\n", port,
		       strerror(errno));
		return -1;
	}
	return fd;
}

/* print_net - the interface's MTU and checksum/scatter-gather counters. */
static void print_net(void)
{
	struct net_stats s;
	struct net_info info;

	net_info_get(&info);
	net_stats_get(&s);
	printf("tcp-echo: net: mtu %u, rx %lu frames (%lu GSO), %lu "
	       "multi-slot, %lu blank checksums taken, %lu bad checksums; "
	       "tx %lu frames (%lu GSO), %lu multi-slot, %lu checksums "
	       "offloaded\n", info.mtu, s.vif.rx_packets, s.vif.rx_gso,
	       s.vif.rx_multislot, s.rx_csum_blank, s.rx_csum_bad,
	       s.vif.tx_packets, s.vif.tx_gso, s.vif.tx_multislot,
	       s.vif.tx_csum_offload);
}

/* print_ipv6 - the interface's usable IPv6 addresses, one line. */
static void print_ipv6(const struct net_info *info)
{
	char text[NET_IPV6_TEXT];

	printf("tcp-echo: ipv6");
	for (unsigned int i = 0; i < info->n6; i++)
		printf(" %s", net_ipv6_text(info->addr6[i], text,
					    sizeof(text)));
	printf("\n");
}

static void on_shutdown(int reason)
{
	(void)reason;
	printf("tcp-echo: stopped: %lu connections, %lu bytes echoed, "
	       "%lu errors\n", connections, bytes, errors);
	print_net();
	net_close();
}

int main(int argc, char **argv)
{
	struct thread_attr attr = { .name = "tcp-conn", .detached = 1 };
	struct net_info info;
	int rc, fd;

	rc = net_init(argc > 1 ? argv[1] : NULL, argc > 2 ? argv[2] : NULL);
	if (rc || (rc = net_wait_up(UP_TIMEOUT_NS))) {
		printf("tcp-echo: network: %s\n", strerror(-rc));
		return 1;
	}
	minnow_set_shutdown_hook(on_shutdown);
	fd = listen_on(ECHO_PORT);
	if (fd < 0)
		return 1;
	net_info_get(&info);
	printf("tcp-echo: ready %u.%u.%u.%u port %d\n", info.addr[0],
	       info.addr[1], info.addr[2], info.addr[3], ECHO_PORT);
	print_ipv6(&info);
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c < 0) {
			errors++;
			thread_sleep_ns(10000000);
			continue;
		}
		connections++;
		if (thread_create(NULL, &attr, serve_one, (void *)(long)c)) {
			errors++;
			close(c);
		}
	}
}
