/*
 * minnow/net.h - TCP/IP networking: lwIP 2.1.3 on the first vif.
 *
 * net_init() starts lwIP (its "lwip-tcpip" thread) and one interface
 * on vif 0 (xl `vif=[...]`): IPv4 with a static address or DHCP, and
 * IPv6 with a link-local address, addresses from router advertisements
 * (SLAAC) and static ones.
 * From then on the BSD socket API works: <sys/socket.h>,
 * <netinet/in.h>, <arpa/inet.h>, <netdb.h>, <poll.h> (lwIP's, over
 * newlib). socket(), bind(), sendto(), select(), poll()... are the
 * usual names (macros over lwIP's lwip_* functions); read(), write(),
 * close() and fcntl(F_GETFL/F_SETFL, O_NONBLOCK) work on socket
 * descriptors, which are NET_SOCKET_FD_FIRST and up (0-2 stay the
 * console). AF_INET and AF_INET6; UDP, TCP, ICMP and ICMPv6 echo, ARP,
 * neighbour discovery, MLD, DHCP (IPv4), DNS.
 *
 * These calls, like every socket call, are for threads only (never an
 * event handler). Errors are negative errno values; the socket calls
 * return -1 and set errno, as POSIX says.
 */
#ifndef MINNOW_NET_H
#define MINNOW_NET_H

#include <stddef.h>
#include <stdint.h>
#include <minnow/netfront.h>

#define NET_SOCKET_FD_FIRST	16	/* the first socket descriptor */
#define NET_SOCKETS_MAX		160	/* sockets open at once (the build
					 * sets FD_SETSIZE to 256, so
					 * select() takes every one) */

/*
 * net_init - bring up the stack and vif 0. addr is a list of static
 * addresses separated by spaces or commas: at most one IPv4 "A.B.C.D/N"
 * (N 0-32; "A.B.C.D" alone means /24) and at most two IPv6
 * "X:X::X[/64]" (unicast, not link-local; lwIP takes each address's /64
 * as on-link, so no other prefix length is taken), e.g.
 * "10.0.0.5/24,fd00::5". Or addr is NULL: then the vif's own addresses
 * if the toolstack gave some (xl's vif=['ip=...'], the same list), else
 * a DHCP server is asked for IPv4 (net_wait_up() tells when an address
 * came). Every interface also gets its IPv6 link-local address (from
 * the MAC) and any a router advertises. gateway is NULL for none, or a
 * list with the same separators of at most one IPv4 "A.B.C.D" (for a
 * static IPv4 address; DHCP brings its own) and one IPv6 address, e.g.
 * "10.0.0.1,fd00::1". The IPv6 gateway must be on the link: link-local,
 * or in the /64 of a static address (the vif's, when addr is NULL); it
 * takes every destination off the link, before any router learnt from
 * advertisements (which serve when there is none).
 * Returns 0; -EINVAL for a malformed addr, gateway or vif ip=, an IPv6
 * gateway off the link (with a console message), -EALREADY if the
 * network is already up (or was closed: net_close() is final),
 * -ENOMEM, or netfront_open()'s error (-ENODEV: the guest has no vif,
 * -ETIMEDOUT: the backend never connected...).
 */
int net_init(const char *addr, const char *gateway);

/*
 * net_wait_up - wait until the interface has an address (at once for a
 * static IPv4 one; when DHCP has bound for DHCP) and every static IPv6
 * address has been through duplicate address detection (about a
 * second; one in use elsewhere is not taken, with a console message),
 * at most timeout_ns
 * nanoseconds (0: only check). 0 once up, -ETIMEDOUT, -ENODEV before
 * net_init() or after net_close().
 */
int net_wait_up(uint64_t timeout_ns);

#define NET_INFO_ADDR6	4	/* IPv6 addresses an interface holds */

struct net_info {
	uint8_t mac[6];
	uint8_t addr[4];	/* 0.0.0.0 while DHCP has not bound */
	uint8_t netmask[4];
	uint8_t gateway[4];
	uint8_t gateway6[16];	/* the static IPv6 gateway; all 0: none */
	unsigned int mtu;	/* the vif's (netfront_mtu()) */
	unsigned int n6;	/* usable IPv6 addresses in addr6 */
	uint8_t addr6[NET_INFO_ADDR6][16];	/* link-local, static, SLAAC
						 * (network order) */
	int dhcp;		/* the address is (to be) from DHCP */
	int up;			/* the interface is up with an address */
};

/* net_info_get - the interface's addresses. 0, or -ENODEV as above. */
int net_info_get(struct net_info *info);

/* net_ipv6_text - an IPv6 address (network order) as RFC 5952 text
 * ("fd00::5": lowercase, zeros compressed) into buf; NET_IPV6_TEXT bytes
 * always suffice. Returns buf ("" if size is too small). */
#define NET_IPV6_TEXT	40
char *net_ipv6_text(const uint8_t addr[16], char *buf, size_t size);

struct net_stats {
	/* Ethernet frames between lwIP and netfront. */
	unsigned long rx_frames, rx_bytes;
	unsigned long rx_dropped;	/* no buffer, or lwIP refused it */
	unsigned long rx_csum_blank;	/* blank checksums taken (UDP's filled in) */
	unsigned long rx_csum_bad;	/* wrong (or uncheckable) TCP/UDP
					 * checksums: dropped */
	/* Frames dropped before lwIP as malformed (net_check): */
	unsigned long rx_runt;		/* shorter than their headers */
	unsigned long rx_oversize;	/* over the MTU */
	unsigned long rx_other_type;	/* not IPv4, IPv6 or ARP (VLAN...) */
	unsigned long rx_bad_arp, rx_bad_ip, rx_bad_l4;
	unsigned long tx_frames, tx_bytes;
	unsigned long tx_errors;	/* netfront_send() failed */
	unsigned long tx_gso;		/* frames that carried several of
					 * lwIP's TCP segments (GSO) */
	struct netfront_stats vif;	/* the device's own counters */
};

/* net_stats_get - the counters since net_init() (kept after close). */
void net_stats_get(struct net_stats *s);

/*
 * net_close - for shutdown: reset every TCP connection (the peers get
 * a RST instead of silence, and blocked socket calls return an error),
 * release a DHCP lease, take the interface down and close the vif once
 * the backend has taken what was sent (netfront_close()), so the backend
 * sees a clean disconnect. Sockets stay open but carry nothing. 0, -ENODEV if not
 * up, or netfront_close()'s error.
 */
int net_close(void);

#endif
