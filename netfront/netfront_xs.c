/*
 * netfront/netfront_xs.c - opening and closing a vif: buffers and
 * grants, the xenstore handshake with netback, teardown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/mm.h>
#include <minnow/xenstore.h>
#include <xen/io/xenbus.h>
#include "netfront/netfront.h"

#define CONNECT_TIMEOUT_NS	30000000000ULL

/* buf_alloc - a zeroed page granted to the backend; 0 or -errno. */
static int buf_alloc(struct netfront *nf, struct nf_buf *b, int readonly)
{
	int rc;

	b->page = page_alloc(0, 1);
	if (!b->page)
		return -ENOMEM;
	rc = gnttab_grant_access((uint16_t)nf->dev.backend_id,
				 virt_to_mfn(b->page), readonly, &b->ref);
	if (rc)
		return rc;
	b->granted = 1;
	return 0;
}

/*
 * buf_free - end the grant and free the page; a page the backend still
 * holds is left alone (leaked) rather than reused while it may write.
 */
static void buf_free(struct nf_buf *b, unsigned long *leaked)
{
	if (b->granted) {
		if (gnttab_end_access(b->ref)) {
			(*leaked)++;
			return;
		}
		gnttab_release(b->ref);
		b->granted = 0;
	}
	if (b->page)
		page_free(b->page, 0);
	b->page = NULL;
}

/* free_all - release everything open() set up, in any state. */
static void free_all(struct netfront *nf)
{
	unsigned long leaked = 0;

	if (nf->have_port)
		evtchn_close(nf->port);
	for (int i = 0; i < NF_TX; i++)
		buf_free(&nf->txb[i], &leaked);
	for (int i = 0; i < NF_RX; i++)
		buf_free(&nf->rxb[i], &leaked);
	buf_free(&nf->tx_ring, &leaked);
	buf_free(&nf->rx_ring, &leaked);
	if (leaked)
		printk("minnow: netfront %u: backend kept %lu pages; not reused\n",
		       nf->index, leaked);
	if (nf->dev.watching)
		xs_unwatch(&nf->dev.watch);
	free(nf);
}

/* hex_digit - the value of hex digit c, or -1. */
static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* parse_mac - exactly "xx:xx:xx:xx:xx:xx" into mac; 0 or -EIO. */
static int parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++, s += 3) {
		int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);

		if (lo < 0 || s[2] != (i < 5 ? ':' : '\0'))
			return -EIO;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* read_mac - the vif's MAC address from our device directory. */
static int read_mac(struct netfront *nf)
{
	char path[96], *v;
	int rc;

	xenbus_path(&nf->dev, "mac", path, sizeof(path));
	rc = xs_read(XS_TX_NONE, path, &v, NULL);
	if (rc)
		return rc;
	rc = parse_mac(v, nf->mac);
	if (rc)
		printk("minnow: netfront %u: malformed MAC \"%.20s\"\n",
		       nf->index, v);
	free(v);
	return rc;
}

/* setup_rings - shared rings and every buffer, granted. */
static int setup_rings(struct netfront *nf)
{
	int rc = buf_alloc(nf, &nf->tx_ring, 0);

	if (!rc)
		rc = buf_alloc(nf, &nf->rx_ring, 0);
	if (rc)
		return rc;
	SHARED_RING_INIT((struct netif_tx_sring *)nf->tx_ring.page);
	SHARED_RING_INIT((struct netif_rx_sring *)nf->rx_ring.page);
	FRONT_RING_INIT(&nf->tx, (struct netif_tx_sring *)nf->tx_ring.page, 4096);
	FRONT_RING_INIT(&nf->rx, (struct netif_rx_sring *)nf->rx_ring.page, 4096);
	for (int i = 0; i < NF_TX && !rc; i++) {
		rc = buf_alloc(nf, &nf->txb[i], 1);
		nf->tx_free[nf->tx_nfree++] = (uint16_t)i;
	}
	for (int i = 0; i < NF_RX && !rc; i++)
		rc = buf_alloc(nf, &nf->rxb[i], 0);
	return rc;
}

/* publish - our half of the handshake, in one transaction. */
static int publish(xs_tx_t tx, void *arg)
{
	struct netfront *nf = arg;
	static const char *const flags[][2] = {
		{ "request-rx-copy", "1" }, { "feature-rx-notify", "1" },
		/* Blank checksums to us, IPv4 and IPv6, and scatter-gather
		 * on; GSO to us below. */
		{ "feature-no-csum-offload", "0" }, { "feature-sg", "1" },
		{ "feature-ipv6-csum-offload", "1" },
	};
	const char *gso = nf->opts & NETFRONT_OPEN_RX_GSO ? "1" : "0";
	char path[128];
	int rc = 0;

	xenbus_path(&nf->dev, "tx-ring-ref", path, sizeof(path));
	rc = xs_printf(tx, path, "%u", nf->tx_ring.ref);
	xenbus_path(&nf->dev, "rx-ring-ref", path, sizeof(path));
	rc = rc ? rc : xs_printf(tx, path, "%u", nf->rx_ring.ref);
	xenbus_path(&nf->dev, "event-channel", path, sizeof(path));
	rc = rc ? rc : xs_printf(tx, path, "%u", nf->port);
	for (unsigned int i = 0; !rc && i < sizeof(flags) / sizeof(flags[0]); i++) {
		xenbus_path(&nf->dev, flags[i][0], path, sizeof(path));
		rc = xs_write(tx, path, flags[i][1]);
	}
	/* Large TCP segments to us, if the receiver takes them. */
	xenbus_path(&nf->dev, "feature-gso-tcpv4", path, sizeof(path));
	rc = rc ? rc : xs_write(tx, path, gso);
	xenbus_path(&nf->dev, "feature-gso-tcpv6", path, sizeof(path));
	rc = rc ? rc : xs_write(tx, path, gso);
	return rc;
}

/* backend_flag - the backend's 0/1 key, def if absent or malformed. */
static int backend_flag(struct netfront *nf, const char *key, int def)
{
	unsigned long long v;

	if (xenbus_read_backend_ull(&nf->dev, key, &v) || v > 1)
		return def;
	return (int)v;
}

/* read_features - what the backend accepts from us: scatter-gather
 * (absent: no), IPv4 checksum offload (feature-no-csum-offload absent:
 * on, as netif.h says), IPv6 checksum offload and TCP segmentation of
 * either family (absent: no). Segmentation needs SG and the family's
 * checksum offload. */
static void read_features(struct netfront *nf)
{
	unsigned int f = 0;

	if (backend_flag(nf, "feature-sg", 0))
		f |= NETFRONT_F_SG;
	if (!backend_flag(nf, "feature-no-csum-offload", 0))
		f |= NETFRONT_F_TX_CSUM;
	if (backend_flag(nf, "feature-ipv6-csum-offload", 0))
		f |= NETFRONT_F_TX_CSUM6;
	if (backend_flag(nf, "feature-gso-tcpv4", 0) && (f & NETFRONT_F_SG) &&
	    (f & NETFRONT_F_TX_CSUM))
		f |= NETFRONT_F_TX_GSO;
	if (backend_flag(nf, "feature-gso-tcpv6", 0) && (f & NETFRONT_F_SG) &&
	    (f & NETFRONT_F_TX_CSUM6))
		f |= NETFRONT_F_TX_GSO6;
	nf->features = f;
}

/*
 * read_mtu - the MTU the toolstack set (our `mtu` key, else the
 * backend's), 1500 if none. Out of 68..NETFRONT_MAX_MTU, or over a page
 * without scatter-gather, it is refused with a console message.
 */
static void read_mtu(struct netfront *nf)
{
	unsigned long long v = 1500;
	int rc = xenbus_read_ull(&nf->dev, "mtu", &v);

	if (rc == -ENOENT)
		rc = xenbus_read_backend_ull(&nf->dev, "mtu", &v);
	nf->mtu = 1500;
	if (rc == -ENOENT)
		return;
	if (rc || v < 68 || v > NETFRONT_MAX_MTU ||
	    (v + 14 > 4096 && !(nf->features & NETFRONT_F_SG))) {
		printk("minnow: netfront %u: MTU %llu refused (%d); using 1500\n",
		       nf->index, rc ? 0ULL : v, rc);
		return;
	}
	nf->mtu = (unsigned int)v;
}

/* connect - publish, go Connected, wait for netback to be Connected. */
static int connect(struct netfront *nf)
{
	unsigned long long copy = 0;
	int rc;

	rc = evtchn_alloc_unbound((uint16_t)nf->dev.backend_id, netfront_event,
				  nf, &nf->port);
	if (rc)
		return rc;
	nf->have_port = 1;
	rc = xs_transaction_run(publish, nf);
	if (rc)
		return rc;
	if (xenbus_read_backend_ull(&nf->dev, "feature-rx-copy", &copy) ||
	    !copy) {
		printk("minnow: netfront %u: backend cannot copy rx frames\n",
		       nf->index);
		return -EIO;
	}
	read_features(nf);
	read_mtu(nf);
	rc = xenbus_switch(&nf->dev, XenbusStateConnected);
	if (rc)
		return rc;
	return xenbus_wait_backend(&nf->dev,
				   XENBUS_STATE_BIT(XenbusStateConnected),
				   CONNECT_TIMEOUT_NS, NULL);
}

/* backend_lost - the backend left (xenbus_monitor's thread): no more
 * sends, and the receive thread ends, before our side closes. */
static void backend_lost(struct xenbus_dev *d, void *arg)
{
	struct netfront *nf = arg;

	(void)d;
	nf->broken = 1;
	waitq_wake_all(&nf->tx_space);
	netfront_stop(nf);
}

int netfront_open(unsigned int index, struct netfront **out)
{
	return netfront_open_opts(index, 0, out);
}

int netfront_open_opts(unsigned int index, unsigned int opts,
		       struct netfront **out)
{
	struct netfront *nf;
	int rc;

	if (opts & ~NETFRONT_OPEN_RX_GSO)
		return -EINVAL;
	nf = calloc(1, sizeof(*nf));
	if (!nf)
		return -ENOMEM;
	nf->index = index;
	nf->opts = opts;
	waitq_init(&nf->tx_space);
	rc = xenbus_open(&nf->dev, "vif", index);
	if (!rc)
		rc = read_mac(nf);
	if (!rc)
		rc = setup_rings(nf);
	if (!rc)
		rc = connect(nf);
	if (!rc)
		rc = netfront_start(nf);
	if (!rc)
		rc = xenbus_monitor(&nf->dev, backend_lost, nf);
	if (rc) {
		netfront_stop(nf);
		if (nf->dev.watching)
			xenbus_close(&nf->dev);
		free_all(nf);
		return rc;
	}
	*out = nf;
	return 0;
}

int netfront_ip(struct netfront *nf, char *buf, size_t size)
{
	char v[128];
	size_t start, n;
	int rc = xenbus_read_backend_str(&nf->dev, "ip", v, sizeof(v));

	if (rc)
		return rc;
	start = strspn(v, " ");
	n = strlen(v + start);
	while (n && v[start + n - 1] == ' ')
		n--;
	if (!n)
		return -EINVAL;
	if (n >= size)
		return -E2BIG;
	memcpy(buf, v + start, n);
	buf[n] = '\0';
	return 0;
}

int netfront_close(struct netfront *nf)
{
	int rc;

	if (!nf->dev.gone)
		netfront_tx_drain(nf, 1000000000ULL);
	nf->broken = 1;			/* no more sends */
	waitq_wake_all(&nf->tx_space);
	rc = xenbus_close(&nf->dev);	/* ends the monitor first */
	netfront_stop(nf);
	free_all(nf);
	return rc;
}
