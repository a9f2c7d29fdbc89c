/*
 * l2fwd - a learning Ethernet switch between the guest's vifs, built on
 * netfront's packet API alone (no TCP/IP stack): the ClickOS-style
 * network function. Every vif the toolstack gave the domain
 * (vif=['bridge=a', 'bridge=b', ...]) is a port; a frame from one port
 * goes out of the port its destination was last seen on, or out of all
 * the others when that is not known (group addresses, new stations).
 * Frames whose destination sits on the port they came from are filtered.
 *
 * Checksums: a frame from dom0 or a local guest may arrive with its
 * TCP/UDP checksum blank (NETFRONT_RX_CSUM_BLANK: only the pseudo-header
 * sum is there). It leaves with the offload flag, so the next backend
 * completes it, when every port's backend takes that; otherwise it is
 * completed here first (a malformed one is dropped and counted).
 *
 * Threads: one receive thread per vif (netfront's) runs on_frame(). The
 * scheduler is cooperative, so the forwarding database is only ever
 * touched by one thread at a time without a lock; a send may block
 * (ring full), which is why shutdown first stops forwarding and waits
 * for sends in progress before closing any port.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <minnow/minnow.h>
#include <minnow/netfront.h>
#include <minnow/sched.h>
#include <minnow/xen.h>
#include <minnow/xenbus.h>
#include "fdb.h"
#include "net/net_csum.h"

#define MAX_PORTS	8
#define FDB_AGE_NS	(300ULL * 1000000000ULL)	/* as 802.1D's default */

struct port {
	unsigned int id;		/* the vif's device index */
	unsigned int n;			/* the port number */
	struct netfront *nf;
	unsigned long rx, tx, flooded, filtered, runts, tx_errors;
	unsigned long csum_bad;		/* blank checksums we could not fill */
};

static struct port ports[MAX_PORTS];
static unsigned int nports;
static struct fdb fdb;
static int offload_all;			/* every port takes csum offload */
static volatile int stopping;
static unsigned int sending;		/* sends in progress */

/* put - send frame out of port p with tx flags, counting the result. */
static void put(struct port *p, const void *frame, size_t len,
		unsigned int flags)
{
	struct netfront_seg seg = { frame, len };
	int rc;

	sending++;
	rc = netfront_sendv(p->nf, &seg, 1, flags);
	sending--;
	if (rc)
		p->tx_errors++;
	else
		p->tx++;
}

/* on_frame - a frame came in on port arg: learn, then forward or flood. */
static void on_frame(struct netfront *nf, void *frame, size_t len,
		     unsigned int flags, void *arg)
{
	struct port *in = arg;
	const uint8_t *eth = frame;
	uint64_t now = xen_time_ns();
	unsigned int txf = 0;
	int out;

	(void)nf;
	in->rx++;
	if (stopping)
		return;
	if (len < 14) {
		in->runts++;
		return;
	}
	if (flags & NETFRONT_RX_CSUM_BLANK) {
		if (offload_all) {
			txf = NETFRONT_TX_CSUM_OFFLOAD;
		} else if (net_csum_complete(frame, len) < 0) {
			in->csum_bad++;
			return;
		}
	}
	fdb_learn(&fdb, eth + 6, in->n, now);
	out = fdb_lookup(&fdb, eth, now);
	if (out == (int)in->n) {
		in->filtered++;
	} else if (out >= 0) {
		put(&ports[out], frame, len, txf);
	} else {
		in->flooded++;
		for (unsigned int i = 0; i < nports && !stopping; i++)
			if (i != in->n)
				put(&ports[i], frame, len, txf);
	}
}

/* print_mac - "xx:xx:xx:xx:xx:xx" into buf (18 bytes). */
static void print_mac(char buf[18], const uint8_t m[6])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
}

/* report - the counters of every port and the stations learned. */
static void report(void)
{
	uint64_t now = xen_time_ns();
	char mac[18];

	for (unsigned int i = 0; i < nports; i++) {
		struct port *p = &ports[i];

		printf("l2fwd: port %u (vif %u): rx %lu tx %lu flooded %lu "
		       "filtered %lu runts %lu bad checksums %lu tx errors %lu\n",
		       p->n, p->id, p->rx, p->tx, p->flooded, p->filtered,
		       p->runts, p->csum_bad, p->tx_errors);
	}
	printf("l2fwd: fdb: learned %lu moved %lu evicted %lu\n", fdb.learned,
	       fdb.moved, fdb.evicted);
	for (unsigned int i = 0; i < FDB_SLOTS; i++) {
		const struct fdb_entry *e = &fdb.e[i];

		if (e->used && fdb_lookup(&fdb, e->mac, now) >= 0) {
			print_mac(mac, e->mac);
			printf("l2fwd: station %s on port %u\n", mac, e->port);
		}
	}
}

/* on_shutdown - stop forwarding, let sends in progress end (each gives
 * up within 1 s), close every port, report. */
static void on_shutdown(int reason)
{
	int rc = 0;

	(void)reason;
	stopping = 1;
	for (int i = 0; i < 300 && sending; i++)
		thread_sleep_ns(10000000ULL);
	for (unsigned int i = 0; i < nports; i++) {
		int r = netfront_close(ports[i].nf);

		rc = rc ? rc : r;
	}
	report();
	printf("l2fwd: stopped (close %d)\n", rc);
}

/* open_ports - every vif of the domain as a port; 0 or -errno. */
static int open_ports(void)
{
	unsigned int ids[MAX_PORTS];
	int n = xenbus_list("vif", ids, MAX_PORTS), rc;
	uint8_t m[6];
	char mac[18];

	if (n < 2) {
		printf("l2fwd: needs at least 2 vifs, the domain has %d\n", n);
		return -ENODEV;
	}
	offload_all = 1;
	for (int i = 0; i < n; i++) {
		struct port *p = &ports[i];

		p->id = ids[i];
		p->n = (unsigned int)i;
		rc = netfront_open(ids[i], &p->nf);
		if (rc) {
			printf("l2fwd: vif %u: %s\n", ids[i], strerror(-rc));
			return rc;
		}
		nports++;
		if (!(netfront_features(p->nf) & NETFRONT_F_TX_CSUM))
			offload_all = 0;
		netfront_mac(p->nf, m);
		print_mac(mac, m);
		printf("l2fwd: port %d is vif %u (mac %s)\n", i, ids[i], mac);
	}
	return 0;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fdb_init(&fdb, FDB_AGE_NS);
	if (open_ports()) {
		for (unsigned int i = 0; i < nports; i++)
			netfront_close(ports[i].nf);
		return 1;
	}
	for (unsigned int i = 0; i < nports; i++)
		netfront_set_rx(ports[i].nf, on_frame, &ports[i]);
	minnow_set_shutdown_hook(on_shutdown);
	printf("l2fwd: forwarding between %u ports\n", nports);
	for (;;)
		thread_sleep_ns(1000000000ULL);
}
