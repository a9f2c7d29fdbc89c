/*
 * lwipopts.h - lwIP 2.1.3's options for Minnow (lwip/opt.h has every
 * option and its default; only departures from it are here, each with
 * its reason).
 *
 * The stack runs with an OS (NO_SYS=0): lwIP's tcpip_thread is a Minnow
 * thread, the socket API is on, and calls into the core take one mutex
 * (core locking) instead of a message round trip to tcpip_thread.
 * Sizes are for a 32 MB guest: about 0.5 MB of static pools in all.
 */
#ifndef MINNOW_LWIPOPTS_H
#define MINNOW_LWIPOPTS_H

#include <stdint.h>
#include <minnow/net.h>

/* Port hooks named below (net/sys_arch.c). */
void sys_assert_core_locked(void);
uint32_t sys_random(void);
void sys_unlock_tcpip_core(void);

/* ---- operating system ------------------------------------------------ */
#define NO_SYS				0
#define LWIP_TCPIP_CORE_LOCKING		1
/* Frames go into lwIP in netfront's receive thread, under the core lock:
 * no queue, no hop to tcpip_thread (whose loop reads the clock, which
 * may trap to Xen), which then wakes only for timers and API messages.
 * A sender holding the lock and waiting for a transmit slot does not
 * need the receive thread: it reclaims slots itself, woken by netfront's
 * event (netfront.c, take_tx_slots). */
#define LWIP_TCPIP_CORE_LOCKING_INPUT	1
/* Every entry into the core checks that the caller holds the core lock. */
#define LWIP_ASSERT_CORE_LOCKED()	sys_assert_core_locked()
/* Releasing the core lock first sends the TCP segments merged for GSO
 * meanwhile (net/net_gso.h): a burst of lwIP's output leaves as one. */
#define LOCK_TCPIP_CORE()		sys_mutex_lock(&lock_tcpip_core)
#define UNLOCK_TCPIP_CORE()		sys_unlock_tcpip_core()
#define TCPIP_THREAD_NAME		"lwip-tcpip"
#define TCPIP_THREAD_STACKSIZE		0 /* THREAD_STACK_DEFAULT */
#define TCPIP_THREAD_PRIO		0 /* no priorities: cooperative */
/* One receive burst of netfront's ring (256 frames) fits in the queue. */
#define TCPIP_MBOX_SIZE			256
#define DEFAULT_THREAD_STACKSIZE	0
#define DEFAULT_UDP_RECVMBOX_SIZE	64
#define DEFAULT_TCP_RECVMBOX_SIZE	256
#define DEFAULT_RAW_RECVMBOX_SIZE	16
#define DEFAULT_ACCEPTMBOX_SIZE		128 /* a burst of new connections */
#define LWIP_RAND()			sys_random()
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1

/* ---- memory ------------------------------------------------------------ */
/* The heap (PBUF_RAM buffers, outgoing data) is Minnow's malloc. */
#define MEM_LIBC_MALLOC			1
#define MEM_ALIGNMENT			8
#define MEMP_NUM_PBUF			64 /* PBUF_REF/ROM headers */
#define MEMP_NUM_UDP_PCB		16
/* Servers close first, so closed connections wait in TIME_WAIT: room
 * for them next to NET_SOCKETS_MAX live ones (lwIP reuses the oldest
 * TIME_WAIT pcb when the pool runs out). */
#define MEMP_NUM_TCP_PCB		(NET_SOCKETS_MAX + 64)
#define MEMP_NUM_TCP_PCB_LISTEN		8
#define MEMP_NUM_TCP_SEG		4096	/* >= TCP_SND_QUEUELEN */
#define MEMP_NUM_NETBUF			64 /* queued UDP datagrams */
#define MEMP_NUM_NETCONN		NET_SOCKETS_MAX
#define MEMP_NUM_TCPIP_MSG_INPKT	TCPIP_MBOX_SIZE
#define MEMP_NUM_TCPIP_MSG_API		32
/* Received frames: one pool buffer each for a 1514-byte frame, a chain
 * of them for a jumbo one (not TCP_MSS-sized buffers: 2.3 MB). */
#define PBUF_POOL_SIZE			1024
#define PBUF_POOL_BUFSIZE		1536

/* ---- protocols --------------------------------------------------------- */
#define LWIP_IPV4			1
/* IPv6 next to IPv4: a link-local address always, addresses from a
 * router's advertisements (SLAAC) and static ones (net_init). Multicast
 * listener reports (MLD) go out for the solicited-node groups, though
 * netback passes every multicast frame anyway (no filter to program). */
#define LWIP_IPV6			1
#define LWIP_IPV6_MLD			1
#define LWIP_IPV6_AUTOCONFIG		1
#define LWIP_IPV6_DHCP6			0
#define LWIP_IPV6_REASS			1
#define LWIP_IPV6_FRAG			1
/* Reassembly keeps its bookkeeping (two pointers) in a copy of each
 * fragment's header, not over it: on 64 bits it does not fit the 8 bytes
 * there (lwIP asserts at its first timer tick otherwise). */
#define IPV6_FRAG_COPYHEADER		1
#define LWIP_IPV6_NUM_ADDRESSES		4	/* link-local, static, 2 SLAAC */
#define LWIP_ND6_NUM_NEIGHBORS		32	/* as ARP_TABLE_SIZE */
#define LWIP_ND6_QUEUEING		1
#define MEMP_NUM_ND6_QUEUE		64	/* as MEMP_NUM_ARP_QUEUE */
#define MEMP_NUM_MLD6_GROUP		8
#define LWIP_ARP			1
#define LWIP_ETHERNET			1
#define LWIP_ICMP			1
#define LWIP_UDP			1
#define LWIP_TCP			1
#define LWIP_DHCP			1
#define LWIP_DNS			1
#define LWIP_RAW			0
#define LWIP_IGMP			0
#define LWIP_AUTOIP			0
#define IP_REASSEMBLY			1
#define IP_FRAG				1
#define ARP_TABLE_SIZE			32
/* Keep every packet that waits for an ARP answer, not just the last. */
#define ARP_QUEUEING			1
#define MEMP_NUM_ARP_QUEUE		64

/* The largest segment for netfront's largest MTU (9000 - 40); lwIP
 * advertises and sends at most the interface's MTU - 40, so a 1500-byte
 * vif still gets 1460. Buffers are sized for 1460-byte segments. */
#define TCP_MSS				8960
/* Windows for a path whose round trip through netback is long (in an
 * emulated testbed, about a millisecond): 16 segments in flight capped a
 * stream at ~150 Mbit/s. 256 KiB to receive, with window scaling.
 * Sending takes more: a Linux receiver busy copying acknowledges only
 * every 150-230 KiB (when its reader drains the socket), so 256 KiB in
 * flight left the sender idle between ACKs (testbed, guest to dom0:
 * ~735 Mbit/s with 256 KiB, ~960 with 1 MiB, no more with 2 MiB). All
 * connections' queued data stays bounded by MEMP_NUM_TCP_SEG. */
#define LWIP_WND_SCALE			1
#define TCP_RCV_SCALE			3
#define TCP_WND				(256 * 1024)
#define TCP_SND_BUF			(1024 * 1024)
#define TCP_SND_QUEUELEN		4096
/* A writer wakes when 28 KiB of the send buffer are free (lwIP's default
 * would wait for 2 * TCP_MSS + 1 bytes; it must stay 4 * TCP_MSS below
 * 64 KiB). */
#define TCP_SNDLOWAT			(28 * 1024)
#define TCP_QUEUE_OOSEQ			1
#define TCP_LISTEN_BACKLOG		1
#define LWIP_TCP_KEEPALIVE		1

/* ---- interfaces -------------------------------------------------------- */
#define LWIP_SINGLE_NETIF		0
/* A static IPv6 gateway (net_init()'s): lwIP 2.1 itself only takes
 * routers from advertisements. net/netif.c answers for the interface. */
struct netif;
struct ip6_addr;
const struct ip6_addr *net_nd6_gateway(struct netif *netif,
				       const struct ip6_addr *dest);
#define LWIP_HOOK_ND6_GET_GW(netif, dest)	net_nd6_gateway(netif, dest)
#define LWIP_NETIF_STATUS_CALLBACK	1 /* net_wait_up() wakes on it */
#define LWIP_NETIF_LINK_CALLBACK	0
#define LWIP_NETIF_HOSTNAME		1	/* sent in DHCP requests */
#define LWIP_NETIF_LOOPBACK		0
/* Checksum work per interface: net/netif.c checks TCP checksums itself
 * (completing blank ones, trusting the backend's validated ones) and
 * leaves generating them to the backend when it takes offload. */
#define LWIP_CHECKSUM_CTRL_PER_NETIF	1

/* ---- sockets ----------------------------------------------------------- */
#define LWIP_NETCONN			1
#define LWIP_SOCKET			1
/* Socket descriptors start above the console's 0-2 (and leave room for
 * other kinds of descriptors): libc/syscalls.c sends read/write/close/
 * fcntl on NET_SOCKET_FD_FIRST and up to lwIP. */
#define LWIP_SOCKET_OFFSET		NET_SOCKET_FD_FIRST
/* socket(), bind(), sendto()... are the usual names (function-like macros
 * over lwip_*); read/write/close stay newlib's, which reach lwIP through
 * the system-call layer for socket descriptors. */
#define LWIP_COMPAT_SOCKETS		1
#define LWIP_POSIX_SOCKETS_IO_NAMES	0
#define LWIP_SOCKET_SELECT		1
#define LWIP_SOCKET_POLL		1
#define LWIP_TIMEVAL_PRIVATE		0 /* newlib has struct timeval */
#define LWIP_SO_RCVTIMEO		1
#define LWIP_SO_SNDTIMEO		1
#define LWIP_SO_RCVBUF			1
#define SO_REUSE			1

/* errno is newlib's (per thread); lwIP includes <errno.h>. */
#define LWIP_ERRNO_STDINCLUDE		1

/* ---- statistics and debugging ------------------------------------------ */
#define LWIP_STATS			0	/* counters: net/netif.c */
/* LWIP_DEBUG stays undefined: defined at all, even as 0, it turns on
 * lwIP's debug messages. */

#endif
