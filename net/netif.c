/*
 * net/netif.c - lwIP's Ethernet interface on netfront, and the set-up
 * calls of <minnow/net.h>.
 *
 * Receive: netfront calls on_frame() in its own receive thread; the
 * frame's TCP/UDP checksum is dealt with (net_csum: a blank one is
 * left for TCP and completed for UDP, a validated one trusted, any other
 * verified), then the frame is copied into pool pbufs and handed to
 * tcpip_input(), which runs lwIP's input on it right there, under the
 * core lock (LWIP_TCPIP_CORE_LOCKING_INPUT). The lock's holder never
 * needs this thread: a sender waiting for a transmit slot reclaims them
 * itself. lwIP itself checks IP, ICMP and UDP checksums (UDP again, for
 * datagrams it reassembles from fragments) but not TCP's.
 * Transmit: lwIP calls link_output() with the core lock held; the pbuf
 * chain's pieces go to netfront_sendv() (netfront copies them). If the
 * backend takes checksum offload, lwIP leaves TCP checksums to it: the
 * field gets the pseudo-header sum and the frame the offload flag. UDP
 * keeps software checksums: a datagram over the MTU is sent as IP
 * fragments, which the backend cannot checksum.
 */
#include <errno.h>
#include <string.h>
#include <minnow/minnow.h>
#include <minnow/net.h>
#include <minnow/netfront.h>
#include <minnow/sched.h>
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcpip.h"
#include "net/net_addr.h"
#include "net/net_check.h"
#include "net/net_csum.h"
#include "net/net_gso.h"

#define NET_TX_SEGS	16	/* pbufs per frame without a flat copy */

_Static_assert(LWIP_IPV6_NUM_ADDRESSES <= NET_INFO_ADDR6,
	       "net_info holds every IPv6 address");

enum net_state { NET_OFF, NET_ON, NET_CLOSED };

/* The one interface, on vif 0. */
static struct net_if {
	enum net_state state;
	int stack_started;	/* tcpip_init() done (kept if net_init fails) */
	int closing;		/* link_output/on_frame: drop everything */
	int dhcp;
	int tx_offload;		/* lwIP leaves TCP checksums to us: IPv4's
				 * go to the backend */
	int tx_offload6;	/* ... and so do IPv6's */
	int tx_gso;		/* IPv4 TCP segments are merged (net_gso) */
	int tx_gso6;		/* ... and IPv6 ones */
	struct netfront *nf;
	struct netif netif;
	struct waitq up_waiters;
	unsigned int n6;		/* static IPv6 addresses, in slots */
	s8_t slot6[NET_ADDR6_MAX];	/* lwIP's address indexes */
	unsigned int dup6_said;		/* bit i: slot6[i]'s duplicate told */
	int has_gw6;			/* a static IPv6 gateway: gw6 */
	ip6_addr_t gw6;
	struct net_stats stats;
} net0;

/* ---- the data path ---------------------------------------------------- */

/* is_tcp_frame - frame (len bytes, checked) is IPv4 TCP. */
static int is_tcp_frame(const uint8_t *f, size_t len)
{
	return len >= 34 && f[12] == 0x08 && f[13] == 0x00 && f[23] == 6;
}

/* is_tcp6_frame - frame is IPv6 with TCP right after the fixed header
 * (how lwIP sends it; a received one with extension headers first goes
 * through net_csum's full walk instead). */
static int is_tcp6_frame(const uint8_t *f, size_t len)
{
	return len >= 54 && f[12] == 0x86 && f[13] == 0xdd && f[20] == 6;
}

/* rx_csum - settle a received frame's TCP/UDP checksum (netfront's
 * flags): a blank one is taken (completed for UDP), a validated one
 * trusted, any other verified.
 * 0 to deliver; -1 to drop (counted in rx_csum_bad). */
static int rx_csum(struct net_if *ni, void *frame, size_t len,
		   unsigned int flags)
{
	int rc;

	if (flags & NETFRONT_RX_CSUM_BLANK) {
		/* Blank: sent by a domain on this host that left it to the
		 * hardware, so the bytes never crossed a wire. lwIP does not
		 * check TCP's (summing a 64 KiB GSO frame cost more than
		 * copying it); UDP's it checks, so that one is completed. */
		rc = is_tcp_frame(frame, len) || is_tcp6_frame(frame, len) ?
		     0 : net_csum_complete(frame, len);
		if (rc == 0)
			ni->stats.rx_csum_blank++;
	} else if (flags & NETFRONT_RX_CSUM_VALID) {
		return 0;
	} else {
		rc = net_csum_verify(frame, len);
		if (rc == NET_CSUM_NONE && net_csum_tcp_fragment(frame, len))
			rc = -EBADMSG;	/* lwIP would not check it whole */
	}
	if (rc < 0) {
		ni->stats.rx_csum_bad++;
		return -1;
	}
	return 0;
}

/* rx_check - frame passes net_check (len may be trimmed)? 1, or 0
 * with the drop counted by its reason. A GSO frame (netfront's
 * NETFRONT_RX_GSO) may exceed the MTU, but must be TCP: IPv4, or IPv6
 * with no extension header (as Linux sends them). */
static int rx_check(struct net_if *ni, void *frame, size_t *len,
		    unsigned int flags)
{
	size_t mtu = flags & NETFRONT_RX_GSO ? NETFRONT_MAX_GSO_FRAME - 14
					     : ni->netif.mtu;
	enum net_check_verdict v = net_check_frame(frame, len, mtu);
	unsigned long *count[NET_CHECK_VERDICTS] = {
		[NET_CHECK_RUNT] = &ni->stats.rx_runt,
		[NET_CHECK_OVERSIZE] = &ni->stats.rx_oversize,
		[NET_CHECK_ETHERTYPE] = &ni->stats.rx_other_type,
		[NET_CHECK_ARP] = &ni->stats.rx_bad_arp,
		[NET_CHECK_IP] = &ni->stats.rx_bad_ip,
		[NET_CHECK_L4] = &ni->stats.rx_bad_l4,
	};

	if (v == NET_CHECK_OK && (flags & NETFRONT_RX_GSO) &&
	    !is_tcp_frame(frame, *len) && !is_tcp6_frame(frame, *len))
		v = NET_CHECK_OVERSIZE;
	if (v == NET_CHECK_OK)
		return 1;
	if ((unsigned int)v < NET_CHECK_VERDICTS && count[v])
		(*count[v])++;
	return 0;
}

/* on_frame - netfront's receive callback (its thread, never blocks). */
static void on_frame(struct netfront *nf, void *frame, size_t len,
		     unsigned int flags, void *arg)
{
	struct net_if *ni = arg;
	struct pbuf *p;

	(void)nf;
	if (ni->closing || len > NETFRONT_MAX_GSO_FRAME) {
		ni->stats.rx_dropped++;
		return;
	}
	if (!rx_check(ni, frame, &len, flags) || rx_csum(ni, frame, len, flags))
		return;
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	if (!p) {
		ni->stats.rx_dropped++;
		return;
	}
	pbuf_take(p, frame, (u16_t)len);
	if (ni->netif.input(p, &ni->netif) != ERR_OK) {
		pbuf_free(p);
		ni->stats.rx_dropped++;
		return;
	}
	ni->stats.rx_frames++;
	ni->stats.rx_bytes += len;
}

/* is_tcp - the frame's first pbuf says IPv4 TCP. */
static int is_tcp(const struct pbuf *p)
{
	return is_tcp_frame(p->payload, p->len);
}

/*
 * tx_prepare - the TCP checksum lwIP left to us (tx_offload): the
 * pseudo-header sum into the field, to be completed by the backend, for
 * IPv4 and, if the backend takes that (tx_offload6), IPv6; otherwise, or
 * if the headers are not all in the first pbuf, the checksum computed
 * here instead, in place in a single pbuf, else in a flat copy (into
 * *flat, made if still NULL; the caller frees it after sending).
 * Returns the netfront flags, or -1 if no memory for the copy.
 */
static int tx_prepare(struct net_if *ni, struct pbuf *p, struct pbuf **flat)
{
	int tcp4 = is_tcp(p), tcp6 = !tcp4 && is_tcp6_frame(p->payload, p->len);

	if (!ni->tx_offload || (!tcp4 && !tcp6))
		return 0;
	if ((tcp4 || ni->tx_offload6) &&
	    !net_csum_prepare_partial(p->payload, p->len, p->tot_len))
		return NETFRONT_TX_CSUM_OFFLOAD;
	if (!p->next && !*flat) {
		net_csum_fill(p->payload, p->len);
		return 0;
	}
	if (!*flat)
		*flat = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
	if (!*flat)
		return -1;
	net_csum_fill((*flat)->payload, (*flat)->len);
	return 0;
}

/* The transmit batch (core lock held). */
static struct net_gso gso;

void net_tx_flush(void)
{
	struct net_if *ni = &net0;
	unsigned int segs, mss;
	size_t len = net_gso_take(&gso, &segs, &mss);
	struct netfront_seg seg = { gso.buf, len };
	int rc;

	if (!len || ni->closing)
		return;
	if (net_csum_prepare_partial(gso.buf, len, len)) {
		rc = -EINVAL;		/* cannot happen: net_gso checked it */
	} else if (segs > 1) {
		rc = netfront_send_gso(ni->nf, &seg, 1, mss);
	} else {
		rc = netfront_sendv(ni->nf, &seg, 1, NETFRONT_TX_CSUM_OFFLOAD);
	}
	if (rc) {
		ni->stats.tx_errors++;	/* TCP sends them again */
		return;
	}
	ni->stats.tx_frames += segs;
	ni->stats.tx_bytes += len;
	ni->stats.tx_gso += segs > 1;
}

/* gso_copy - net_gso's copy callback: bytes of the pbuf chain ctx. */
static void gso_copy(void *ctx, size_t off, void *dst, size_t n)
{
	pbuf_copy_partial(ctx, dst, (u16_t)n, (u16_t)off);
}

/* gso_add - p into the batch (net_gso_add_from): 1 if taken. */
static int gso_add(struct pbuf *p)
{
	return net_gso_add_from(&gso, p->payload, p->len, p->tot_len,
				gso_copy, p);
}

/* gso_offer - p into the transmit batch: 1 if taken; otherwise 0 once
 * the batch has gone out (frames leave in order), and p must be sent
 * as it is. Only TCP of a family the backend segments is offered. */
static int gso_offer(struct net_if *ni, struct pbuf *p)
{
	if ((ni->tx_gso && is_tcp(p)) ||
	    (ni->tx_gso6 && is_tcp6_frame(p->payload, p->len))) {
		if (gso_add(p))
			return 1;
		net_tx_flush();
		return gso_add(p);
	}
	net_tx_flush();
	return 0;
}

/* link_output - send one frame (core lock held). */
static err_t link_output(struct netif *netif, struct pbuf *p)
{
	struct net_if *ni = netif->state;
	struct netfront_seg segs[NET_TX_SEGS];
	struct pbuf *flat = NULL, *q;
	unsigned int n = 0;
	int rc, flags;

	if (ni->closing)
		return ERR_IF;
	if ((ni->tx_gso || ni->tx_gso6) && gso_offer(ni, p))
		return ERR_OK;
	if (pbuf_clen(p) > NET_TX_SEGS) {	/* a long chain: one copy */
		flat = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
		if (!flat) {
			ni->stats.tx_errors++;
			return ERR_MEM;
		}
		p = flat;
	}
	flags = tx_prepare(ni, p, &flat);
	if (flags < 0) {
		ni->stats.tx_errors++;
		return ERR_MEM;		/* nothing was copied */
	}
	for (q = flat ? flat : p; q; q = q->next)
		segs[n++] = (struct netfront_seg){ q->payload, q->len };
	rc = netfront_sendv(ni->nf, segs, n, (unsigned int)flags);
	if (flat)
		pbuf_free(flat);
	if (rc) {
		ni->stats.tx_errors++;
		return rc == -EAGAIN ? ERR_WOULDBLOCK : ERR_IF;
	}
	ni->stats.tx_frames++;
	ni->stats.tx_bytes += p->tot_len;
	return ERR_OK;
}

/* ---- set-up ---------------------------------------------------------- */

/* netif_setup - lwIP's init callback of netif_add() (core lock held). */
static err_t netif_setup(struct netif *netif)
{
	struct net_if *ni = netif->state;
	unsigned int features = netfront_features(ni->nf);

	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->hwaddr_len = ETH_HWADDR_LEN;
	netfront_mac(ni->nf, netif->hwaddr);
	netif->mtu = (u16_t)netfront_mtu(ni->nf);
	/* TCP checksums: checked in on_frame(), generated by the backend if
	 * it takes offload. */
	ni->tx_offload = !!(features & NETFRONT_F_TX_CSUM);
	ni->tx_offload6 = ni->tx_offload && (features & NETFRONT_F_TX_CSUM6);
	ni->tx_gso = ni->tx_offload && (features & NETFRONT_F_TX_GSO);
	ni->tx_gso6 = ni->tx_offload6 && (features & NETFRONT_F_TX_GSO6);
	NETIF_SET_CHECKSUM_CTRL(netif, NETIF_CHECKSUM_ENABLE_ALL &
				~NETIF_CHECKSUM_CHECK_TCP &
				~(ni->tx_offload ? NETIF_CHECKSUM_GEN_TCP : 0));
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		       NETIF_FLAG_ETHERNET | NETIF_FLAG_MLD6;
	netif->output = etharp_output;
	netif->output_ip6 = ethip6_output;
	netif->linkoutput = link_output;
	netif_set_hostname(netif, minnow_app_name());
	return ERR_OK;
}

/* on_status - the address or up/down state changed (core lock held):
 * wake net_wait_up(), and say so once if a static IPv6 address turned
 * out to be another node's (duplicate address detection). */
static void on_status(struct netif *netif)
{
	struct net_if *ni = netif->state;

	for (unsigned int i = 0; i < ni->n6; i++) {
		s8_t k = ni->slot6[i];
		char text[NET_IPV6_TEXT];

		if (ip6_addr_isduplicated(netif_ip6_addr_state(netif, k)) &&
		    !(ni->dup6_said & 1u << i)) {
			ni->dup6_said |= 1u << i;
			net_ipv6_text((const uint8_t *)netif_ip6_addr(netif,
								      k)->addr,
				      text, sizeof(text));
			printk("minnow: net: IPv6 address %s is in use on the "
			       "link: not taken\n", text);
		}
	}
	waitq_wake_all(&ni->up_waiters);
}

/* start_done - tcpip_thread is running (it calls this first). */
static void start_done(void *arg)
{
	sys_sem_signal(arg);
}

/* start_stack - tcpip_init() once, and wait for its thread (which cannot
 * fail to start: sys_thread_new() treats that as fatal). */
static void start_stack(void)
{
	static sys_sem_t started;

	if (net0.stack_started)
		return;
	sys_sem_new(&started, 0);
	tcpip_init(start_done, &started);
	sys_arch_sem_wait(&started, 0);
	sys_sem_free(&started);
	net0.stack_started = 1;
}

/* add_ip6 - IPv6 on the interface (core lock held): the link-local
 * address from the MAC, addresses from router advertisements, and the
 * static ones of *cfg (each tentative until duplicate detection passes).
 * 0, or -ENOSPC if an address does not fit. */
static int add_ip6(struct netif *netif, const struct net_addr_list *cfg)
{
	netif_create_ip6_linklocal_address(netif, 1);
	netif_set_ip6_autoconfig_enabled(netif, 1);
	for (unsigned int i = 0; i < cfg->n6; i++) {
		ip6_addr_t a;
		s8_t idx;

		memcpy(&a.addr, cfg->addr6[i], sizeof(a.addr));
		ip6_addr_assign_zone(&a, IP6_UNICAST, netif);
		if (netif_add_ip6_address(netif, &a, &idx) != ERR_OK)
			return -ENOSPC;
		net0.slot6[net0.n6++] = idx;
	}
	return 0;
}

/* net_nd6_gateway - lwIP's LWIP_HOOK_ND6_GET_GW (lwipopts.h), asked
 * for a destination off the link (core lock held): our static IPv6
 * gateway, or NULL to let lwIP pick a router it learnt, if any. */
const struct ip6_addr *net_nd6_gateway(struct netif *netif,
				       const struct ip6_addr *dest)
{
	(void)dest;
	return netif == &net0.netif && net0.has_gw6 ? &net0.gw6 : NULL;
}

/* add_netif - the interface into lwIP, up, with its addresses (cfg's
 * IPv4 one, gw's gateways), or DHCP if asked. */
static int add_netif(const struct net_addr_list *cfg,
		     const struct net_gateways *gw)
{
	ip4_addr_t ip, mask, gw4;
	int rc = 0;

	memcpy(&ip.addr, cfg->addr4, 4);
	memcpy(&mask.addr, cfg->mask4, 4);
	memcpy(&gw4.addr, gw->gw4, 4);
	LOCK_TCPIP_CORE();
	if (!netif_add(&net0.netif, &ip, &mask, &gw4, &net0, netif_setup,
		       tcpip_input)) {
		rc = -ENOMEM;
		goto out;
	}
	if (gw->has6) {			/* a link-local one gets its zone */
		memcpy(net0.gw6.addr, gw->gw6, 16);
		ip6_addr_clear_zone(&net0.gw6);
		ip6_addr_assign_zone(&net0.gw6, IP6_UNICAST, &net0.netif);
		net0.has_gw6 = 1;
	}
	netif_set_status_callback(&net0.netif, on_status);
	netif_set_default(&net0.netif);
	rc = add_ip6(&net0.netif, cfg);
	if (!rc) {
		netif_set_link_up(&net0.netif);
		netif_set_up(&net0.netif);
	}
	if (!rc && net0.dhcp && dhcp_start(&net0.netif) != ERR_OK)
		rc = -ENOMEM;
	if (rc)
		netif_remove(&net0.netif);
out:
	UNLOCK_TCPIP_CORE();
	return rc;
}

/*
 * toolstack_addr - with no address from the caller, the vif's own "ip"
 * key (xl's vif=['ip=...'], a list as net_init() takes) into *cfg: 1 if
 * there is one, 0 if not (DHCP then), -EINVAL with a console message if
 * it is malformed (the toolstack's word is input like any other).
 */
static int toolstack_addr(struct net_addr_list *cfg)
{
	char v[128];
	int rc = netfront_ip(net0.nf, v, sizeof(v));

	if (rc == -ENOENT)
		return 0;
	if (!rc && !net_addr_parse_list(v, cfg))
		return 1;
	printk("minnow: net: vif ip= from the toolstack is unusable (%s)\n",
	       rc ? strerror(-rc) : "not a list of addresses");
	return -EINVAL;
}

/* gateway6_ok - is gw's IPv6 gateway, if any, reachable on the link
 * given cfg's addresses? 1, or 0 with a console message. */
static int gateway6_ok(const struct net_gateways *gw,
		       const struct net_addr_list *cfg)
{
	char text[NET_ADDR6_TEXT];

	if (!gw->has6 || net_addr_on_link6(gw->gw6, cfg))
		return 1;
	printk("minnow: net: IPv6 gateway %s is not on the link (it must be "
	       "link-local or in a static address's /64)\n",
	       net_addr_format6(gw->gw6, text, sizeof(text)));
	return 0;
}

int net_init(const char *addr, const char *gateway)
{
	struct net_addr_list cfg = { 0 };
	struct net_gateways gw = { 0 };
	int rc;

	if (net0.state != NET_OFF)
		return -EALREADY;
	if ((addr && net_addr_parse_list(addr, &cfg)) ||
	    (gateway && net_addr_parse_gateways(gateway, &gw)) ||
	    (addr && !gateway6_ok(&gw, &cfg)))
		return -EINVAL;
	start_stack();
	/* lwIP takes a TCP segment of any length within its window, so
	 * the backend may merge the segments it forwards (GSO). */
	rc = netfront_open_opts(0, NETFRONT_OPEN_RX_GSO, &net0.nf);
	if (rc)
		return rc;
	rc = addr ? 1 : toolstack_addr(&cfg);
	if (rc >= 0 && !addr && !gateway6_ok(&gw, &cfg))
		rc = -EINVAL;
	if (rc < 0) {
		netfront_close(net0.nf);
		return rc;
	}
	waitq_init(&net0.up_waiters);
	/* DHCP only when no address at all was given: IPv6 alone is a
	 * static configuration too. */
	net0.dhcp = !rc;
	rc = add_netif(&cfg, &gw);
	if (rc) {
		netfront_close(net0.nf);
		return rc;
	}
	netfront_set_rx(net0.nf, on_frame, &net0);
	net0.state = NET_ON;
	return 0;
}

/* has_global6 - an IPv6 address other than link-local is usable. */
static int has_global6(void)
{
	for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
		if (ip6_addr_isvalid(netif_ip6_addr_state(&net0.netif, i)) &&
		    !ip6_addr_islinklocal(netif_ip6_addr(&net0.netif, i)))
			return 1;
	}
	return 0;
}

/* static6_settled - no static IPv6 address is still tentative. */
static int static6_settled(void)
{
	for (unsigned int i = 0; i < net0.n6; i++) {
		if (ip6_addr_istentative(netif_ip6_addr_state(&net0.netif,
							      net0.slot6[i])))
			return 0;
	}
	return 1;
}

/* is_up - the interface is up, every static IPv6 address is past
 * duplicate detection, and there is an address: IPv4's (static or
 * DHCP's) or, with neither, an IPv6 one that is not link-local. */
static int is_up(void)
{
	if (!netif_is_up(&net0.netif) || !static6_settled())
		return 0;
	if (!ip4_addr_isany_val(*netif_ip4_addr(&net0.netif)))
		return 1;
	return !net0.dhcp && has_global6();
}

int net_wait_up(uint64_t timeout_ns)
{
	uint64_t now = xen_time_ns();
	/* 0 as a waitq deadline means none: for a timeout that overflows. */
	uint64_t deadline = timeout_ns > UINT64_MAX - now ? 0 :
			    now + timeout_ns;

	while (net0.state == NET_ON && !is_up()) {
		if (!timeout_ns ||
		    waitq_wait(&net0.up_waiters, deadline) == -ETIMEDOUT)
			return is_up() ? 0 : -ETIMEDOUT;
	}
	return net0.state == NET_ON ? 0 : -ENODEV;
}

/* copy_addr - an lwIP address into 4 bytes. */
static void copy_addr(uint8_t out[4], const ip4_addr_t *a)
{
	u32_t v = ip4_addr_get_u32(a);

	memcpy(out, &v, 4);		/* already network order */
}

int net_info_get(struct net_info *info)
{
	if (net0.state != NET_ON)
		return -ENODEV;
	LOCK_TCPIP_CORE();
	memcpy(info->mac, net0.netif.hwaddr, sizeof(info->mac));
	copy_addr(info->addr, netif_ip4_addr(&net0.netif));
	copy_addr(info->netmask, netif_ip4_netmask(&net0.netif));
	copy_addr(info->gateway, netif_ip4_gw(&net0.netif));
	memset(info->gateway6, 0, sizeof(info->gateway6));
	if (net0.has_gw6)
		memcpy(info->gateway6, net0.gw6.addr, 16);
	info->n6 = 0;
	for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
		if (ip6_addr_isvalid(netif_ip6_addr_state(&net0.netif, i)))
			memcpy(info->addr6[info->n6++],
			       netif_ip6_addr(&net0.netif, i)->addr, 16);
	}
	info->dhcp = net0.dhcp;
	info->mtu = net0.netif.mtu;
	info->up = is_up();
	UNLOCK_TCPIP_CORE();
	return 0;
}

char *net_ipv6_text(const uint8_t addr[16], char *buf, size_t size)
{
	return net_addr_format6(addr, buf, size);
}

void net_stats_get(struct net_stats *s)
{
	*s = net0.stats;
	if (net0.state == NET_ON)
		netfront_stats_get(net0.nf, &s->vif);
}

int net_close(void)
{
	int rc;

	if (net0.state != NET_ON)
		return -ENODEV;
	LOCK_TCPIP_CORE();
	if (net0.dhcp)
		dhcp_release_and_stop(&net0.netif);
	while (tcp_active_pcbs)	/* peers get a RST, not silence */
		tcp_abort(tcp_active_pcbs);
	net0.closing = 1;	/* from here on nothing reaches netfront */
	netif_set_down(&net0.netif);
	netif_remove(&net0.netif);
	UNLOCK_TCPIP_CORE();
	net0.state = NET_CLOSED;
	netfront_stats_get(net0.nf, &net0.stats.vif);
	rc = netfront_close(net0.nf);
	net0.nf = NULL;
	waitq_wake_all(&net0.up_waiters);
	return rc;
}
