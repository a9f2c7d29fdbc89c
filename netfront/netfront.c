/*
 * netfront/netfront.c - the data path: receive and transmit rings.
 *
 * Buffers are pages granted to the backend once, at open: the backend
 * copies received frames into rx pages and transmitted frames out of tx
 * pages, so no frame costs a grant operation. Responses are copied off
 * the shared ring before anything looks at them, then checked (id in
 * range and outstanding, offset + length inside the page, status and
 * flags as negotiated).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/xen.h>
#include "lib/fmt.h"
#include "netfront/netfront.h"

#define PAGE	4096
#define SEND_WAIT_NS	1000000000ULL

void netfront_broken(struct netfront *nf, const char *why, unsigned int v)
{
	if (!nf->broken)
		printk("minnow: netfront %u broken: %s (%u); the vif stops\n",
		       nf->index, why, v);
	nf->broken = 1;
	waitq_wake_all(&nf->tx_space);
}

void netfront_event(evtchn_port_t port, void *arg)
{
	struct netfront *nf = arg;

	(void)port;
	if (nf->rx_thread)
		thread_wake(nf->rx_thread);
	waitq_wake_all(&nf->tx_space);
}

/* post_rx - give rx buffer id back to the backend (not yet pushed). */
static void post_rx(struct netfront *nf, uint16_t id)
{
	struct netif_rx_request *req =
		RING_GET_REQUEST(&nf->rx, nf->rx.req_prod_pvt);

	req->id = id;
	req->gref = nf->rxb[id].ref;
	nf->rx.req_prod_pvt++;
	nf->rx_posted[id] = 1;
}

/* push_rx - publish posted rx requests, kicking the backend if needed. */
static void push_rx(struct netfront *nf)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nf->rx, notify);
	if (notify)
		evtchn_notify(nf->port);
}

/* rx_ready - responses waiting; -1 if the backend's index is impossible. */
static long rx_ready(struct netfront *nf)
{
	RING_IDX prod = nf->rx.sring->rsp_prod;

	xen_rmb();			/* index before the responses */
	if (prod - nf->rx.rsp_cons > NF_RX)
		return -1;
	return (long)(prod - nf->rx.rsp_cons);
}

/*
 * rx_frame_ok - a response that carries a frame we can take. Others are
 * counted: errors from the backend, frames with a blank checksum (we
 * asked for none: feature-no-csum-offload), and anything outside what
 * was negotiated (no scatter-gather, no extra info slots).
 */
static int rx_frame_ok(struct netfront *nf, const struct netif_rx_response *r)
{
	if (r->status < 0) {
		nf->stats.rx_errors++;
		return 0;
	}
	if (r->flags & (NETRXF_more_data | NETRXF_extra_info)) {
		netfront_broken(nf, "rx response with unnegotiated flags",
				r->flags);
		return 0;
	}
	if (!r->status || r->offset + (unsigned int)r->status > PAGE ||
	    r->status > NETFRONT_MAX_FRAME) {
		nf->stats.bad_responses++;
		return 0;
	}
	if (r->flags & NETRXF_csum_blank) {
		nf->stats.rx_dropped++;
		return 0;
	}
	return 1;
}

/* rx_one - take one response: deliver its frame, repost its buffer. */
static void rx_one(struct netfront *nf)
{
	struct netif_rx_response r;

	memcpy(&r, RING_GET_RESPONSE(&nf->rx, nf->rx.rsp_cons), sizeof(r));
	nf->rx.rsp_cons++;
	if (r.id >= NF_RX || !nf->rx_posted[r.id]) {
		netfront_broken(nf, "rx response with a bad id", r.id);
		return;
	}
	nf->rx_posted[r.id] = 0;
	if (rx_frame_ok(nf, &r)) {
		nf->stats.rx_packets++;
		nf->stats.rx_bytes += (unsigned int)r.status;
		if (nf->rx_fn)
			nf->rx_fn(nf, (char *)nf->rxb[r.id].page + r.offset,
				  (size_t)r.status, nf->rx_arg);
		else
			nf->stats.rx_dropped++;
	}
	if (!nf->broken)
		post_rx(nf, r.id);
}

/* tx_reclaim - take transmit completions, freeing their slots. */
static void tx_reclaim(struct netfront *nf)
{
	RING_IDX prod = nf->tx.sring->rsp_prod;
	int more;

	xen_rmb();
	if (prod - nf->tx.rsp_cons > NF_TX) {
		netfront_broken(nf, "impossible tx producer index", prod);
		return;
	}
	while (nf->tx.rsp_cons != prod && !nf->broken) {
		struct netif_tx_response r;

		memcpy(&r, RING_GET_RESPONSE(&nf->tx, nf->tx.rsp_cons),
		       sizeof(r));
		nf->tx.rsp_cons++;
		if (r.id >= NF_TX || !nf->tx_inflight[r.id]) {
			netfront_broken(nf, "tx response with a bad id", r.id);
			return;
		}
		nf->tx_inflight[r.id] = 0;
		nf->tx_free[nf->tx_nfree++] = r.id;
		if (r.status != NETIF_RSP_OKAY)
			nf->stats.tx_errors++;
	}
	RING_FINAL_CHECK_FOR_RESPONSES(&nf->tx, more);
	(void)more;		/* the next event or send picks them up */
	waitq_wake_all(&nf->tx_space);
}

void netfront_tx_drain(struct netfront *nf, uint64_t timeout_ns)
{
	uint64_t deadline = xen_time_ns() + timeout_ns;
	unsigned int s = evtchn_events_save();

	tx_reclaim(nf);
	while (nf->tx_nfree < NF_TX && !nf->broken) {
		if (waitq_wait(&nf->tx_space, deadline) == -ETIMEDOUT)
			break;
		tx_reclaim(nf);
	}
	evtchn_events_restore(s);
}

/* rx_thread - receive for as long as the device is open. */
static void *rx_thread(void *arg)
{
	struct netfront *nf = arg;

	while (!nf->stopping) {
		long n = rx_ready(nf);
		int more;

		if (n < 0) {
			netfront_broken(nf, "impossible rx producer index",
					nf->rx.sring->rsp_prod);
			break;
		}
		while (n-- > 0 && !nf->broken)
			rx_one(nf);
		if (nf->broken)
			break;
		push_rx(nf);
		tx_reclaim(nf);
		RING_FINAL_CHECK_FOR_RESPONSES(&nf->rx, more);
		if (!more)
			thread_block(0);	/* until the next event */
	}
	return NULL;
}

int netfront_start(struct netfront *nf)
{
	char name[24];
	struct thread_attr attr = { .name = name };

	for (uint16_t id = 0; id < NF_RX; id++)
		post_rx(nf, id);
	push_rx(nf);
	fmt_snprintf(name, sizeof(name), "netfront-%u", nf->index);
	return thread_create(&nf->rx_thread, &attr, rx_thread, nf);
}

void netfront_stop(struct netfront *nf)
{
	nf->stopping = 1;
	if (nf->rx_thread) {
		thread_wake(nf->rx_thread);
		thread_join(nf->rx_thread, NULL);
		nf->rx_thread = NULL;
	}
}

void netfront_set_rx(struct netfront *nf, netfront_rx_fn fn, void *arg)
{
	nf->rx_arg = arg;
	nf->rx_fn = fn;
}

/* take_tx_slot - a free transmit id, waiting up to 1 s. -1 if none. */
static int take_tx_slot(struct netfront *nf)
{
	uint64_t deadline = xen_time_ns() + SEND_WAIT_NS;
	unsigned int s;

	tx_reclaim(nf);
	s = evtchn_events_save();
	while (!nf->tx_nfree && !nf->broken) {
		if (waitq_wait(&nf->tx_space, deadline) == -ETIMEDOUT)
			break;
		evtchn_events_restore(s);
		tx_reclaim(nf);
		s = evtchn_events_save();
	}
	evtchn_events_restore(s);
	return nf->tx_nfree && !nf->broken ? nf->tx_free[--nf->tx_nfree] : -1;
}

int netfront_send(struct netfront *nf, const void *buf, size_t len)
{
	struct netif_tx_request *req;
	int id, notify;

	if (len < 14 || len > NETFRONT_MAX_FRAME)
		return -EMSGSIZE;
	if (nf->broken || nf->stopping)
		return -EIO;
	id = take_tx_slot(nf);
	if (id < 0)
		return nf->broken ? -EIO : -EAGAIN;
	memcpy(nf->txb[id].page, buf, len);
	req = RING_GET_REQUEST(&nf->tx, nf->tx.req_prod_pvt);
	req->gref = nf->txb[id].ref;
	req->offset = 0;
	req->flags = 0;			/* checksums are complete */
	req->id = (uint16_t)id;
	req->size = (uint16_t)len;
	nf->tx.req_prod_pvt++;
	nf->tx_inflight[id] = 1;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nf->tx, notify);
	if (notify)
		evtchn_notify(nf->port);
	nf->stats.tx_packets++;
	nf->stats.tx_bytes += len;
	return 0;
}

void netfront_mac(const struct netfront *nf, uint8_t mac[6])
{
	memcpy(mac, nf->mac, 6);
}

void netfront_stats_get(const struct netfront *nf, struct netfront_stats *s)
{
	*s = nf->stats;
}
