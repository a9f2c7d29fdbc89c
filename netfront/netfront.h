/*
 * netfront/netfront.h - netfront internals shared by the data path
 * (netfront.c) and the handshake (netfront_xs.c).
 */
#ifndef MINNOW_NETFRONT_INTERNAL_H
#define MINNOW_NETFRONT_INTERNAL_H

#include <stdint.h>
#include <minnow/evtchn.h>
#include <minnow/gnttab.h>
#include <minnow/netfront.h>
#include <minnow/sched.h>
#include <minnow/xenbus.h>
#include "xen/abi.h"

/* ring.h leaves the barriers to the includer. */
#define xen_mb()	__asm__ volatile("mfence" ::: "memory")
#define xen_rmb()	__asm__ volatile("lfence" ::: "memory")
#define xen_wmb()	__asm__ volatile("sfence" ::: "memory")
#include <xen/io/ring.h>
#include <xen/io/netif.h>

/* Slots in a one-page ring: 256 each way (ids 0..255). */
#define NF_TX	((int)__CONST_RING_SIZE(netif_tx, 4096))
#define NF_RX	((int)__CONST_RING_SIZE(netif_rx, 4096))

/* The most slots one received frame may take: a whole frame in pages,
 * as Linux netfront allows (the legacy minimum every backend honours). */
#define NF_RX_MAX_SLOTS	XEN_NETIF_NR_SLOTS_MIN
/* ... and a 64 KiB GSO frame fits in that many 4 KiB pages. */
_Static_assert(NETFRONT_MAX_GSO_FRAME <= (NF_RX_MAX_SLOTS - 1) * 4096,
	       "a GSO frame needs more slots than a backend may use");

/* A page shared with the backend for good (granted once). */
struct nf_buf {
	void *page;
	gnttab_ref_t ref;
	int granted;
};

struct netfront {
	unsigned int index;
	struct xenbus_dev dev;
	uint8_t mac[6];
	evtchn_port_t port;
	int have_port;

	struct netif_tx_front_ring tx;
	struct netif_rx_front_ring rx;
	struct nf_buf tx_ring, rx_ring;
	struct nf_buf txb[NF_TX], rxb[NF_RX];
	uint16_t tx_free[NF_TX];	/* ids not in flight */
	unsigned int tx_nfree;
	unsigned int tx_extras;		/* extra-info slots not answered yet */
	uint8_t tx_inflight[NF_TX], rx_posted[NF_RX];
	uint16_t rx_slot_id[NF_RX];	/* buffer posted in ring slot i */
	unsigned int mtu;		/* netfront_mtu() */
	unsigned int features;		/* NETFRONT_F_*: the backend's */
	unsigned int opts;		/* NETFRONT_OPEN_* */
	uint8_t rx_frame[NETFRONT_MAX_GSO_FRAME];	/* a multi-slot frame */

	struct thread *rx_thread;
	struct waitq tx_space;
	netfront_rx_fn rx_fn;
	void *rx_arg;
	volatile int broken, stopping;
	struct netfront_stats stats;
};

/* netfront_event - the device's event channel fired (event handler). */
void netfront_event(evtchn_port_t port, void *arg);

/* netfront_start - post every rx buffer and start the rx thread. */
int netfront_start(struct netfront *nf);

/* netfront_stop - end the rx thread (waits for it). */
void netfront_stop(struct netfront *nf);

/* netfront_tx_drain - wait (up to timeout_ns) until the backend has
 * completed every frame sent, so that a close loses none. */
void netfront_tx_drain(struct netfront *nf, uint64_t timeout_ns);

/* netfront_broken - mark nf unusable, saying why on the console. */
void netfront_broken(struct netfront *nf, const char *why, unsigned int v);

#endif
