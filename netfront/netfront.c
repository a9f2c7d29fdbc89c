/*
 * netfront/netfront.c - the data path: receive and transmit rings.
 *
 * Buffers are pages granted to the backend once, at open: the backend
 * copies received frames into rx pages and transmitted frames out of tx
 * pages, so no frame costs a grant operation. A frame over a page takes
 * several slots both ways (NETRXF/NETTXF_more_data): on receive it is
 * gathered into one buffer, on transmit its pieces are packed into as
 * many tx pages as it needs. Responses are copied off the shared ring
 * before anything looks at them, then checked (id in range and
 * outstanding, offset + length inside the page, status, the chain's
 * length and flags as negotiated).
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
	nf->rx_slot_id[nf->rx.req_prod_pvt % NF_RX] = id;
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

/* Why a received frame is dropped (which counter), if it is. */
enum rx_drop { RX_KEEP, RX_ERROR, RX_BAD };

/* One received frame while its slots are taken off the ring. */
struct rx_pkt {
	size_t len;			/* bytes so far */
	unsigned int slots;		/* data slots so far */
	uint16_t flags;			/* the first slot's NETRXF_* */
	int gso;			/* a valid GSO extra came with it */
	enum rx_drop drop;
	void *in_place;			/* one slot: the frame in its page */
	unsigned int nids;		/* buffers taken back, to repost */
	uint16_t ids[NF_RX];
};

/* rx_take - copy the next response off the ring (one of *avail). */
static void rx_take(struct netfront *nf, long *avail,
		    struct netif_rx_response *r)
{
	memcpy(r, RING_GET_RESPONSE(&nf->rx, nf->rx.rsp_cons), sizeof(*r));
	nf->rx.rsp_cons++;
	(*avail)--;
}

/* rx_claim - buffer id comes back from the backend, to be reposted
 * when its frame is done: 0, or -1 (and the device broken) if it was not
 * out there. */
static int rx_claim(struct netfront *nf, struct rx_pkt *p, unsigned int id)
{
	if (id >= NF_RX || !nf->rx_posted[id]) {
		netfront_broken(nf, "rx response with a bad id", id);
		return -1;
	}
	nf->rx_posted[id] = 0;
	p->ids[p->nids++] = (uint16_t)id;
	return 0;
}

/*
 * rx_extra - one extra-info slot (it overlays a response, so its buffer
 * is the one posted in that ring slot): skipped if of a kind we may get,
 * else the frame is dropped. Returns whether another extra follows, or
 * -1 if the device broke.
 */
static int rx_extra(struct netfront *nf, struct rx_pkt *p,
		    const struct netif_rx_response *r)
{
	const struct netif_extra_info *x = (const void *)r;
	uint16_t id = nf->rx_slot_id[(nf->rx.rsp_cons - 1) % NF_RX];

	if (rx_claim(nf, p, id))
		return -1;
	/* A hash is harmless to skip. GSO is for us only if we asked for
	 * it, and only as TCP (IPv4 or IPv6) with a sane segment size;
	 * anything else is not for us. */
	if (x->type == XEN_NETIF_EXTRA_TYPE_GSO &&
	    (nf->opts & NETFRONT_OPEN_RX_GSO) &&
	    (x->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 ||
	     x->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6) &&
	    x->u.gso.size >= 64 && x->u.gso.size <= NETFRONT_MAX_MTU) {
		p->gso = 1;
	} else if (x->type != XEN_NETIF_EXTRA_TYPE_HASH && !p->drop) {
		nf->stats.bad_responses++;
		p->drop = RX_BAD;
	}
	return x->flags & XEN_NETIF_EXTRA_FLAG_MORE ? 1 : 0;
}

/* rx_max - the longest frame the backend may send us. */
static size_t rx_max(const struct netfront *nf)
{
	return nf->opts & NETFRONT_OPEN_RX_GSO ? NETFRONT_MAX_GSO_FRAME
					       : NETFRONT_MAX_FRAME;
}

/* rx_data - check one data slot and add its bytes to the frame (copied
 * unless the frame is this one slot). -1 if the device broke. */
static int rx_data(struct netfront *nf, struct rx_pkt *p,
		   const struct netif_rx_response *r, int single)
{
	if (rx_claim(nf, p, r->id))
		return -1;
	p->slots++;
	if (r->status < 0 && !p->drop) {
		nf->stats.rx_errors++;
		p->drop = RX_ERROR;
	} else if (!p->drop && (!r->status ||
		   r->offset + (unsigned int)r->status > PAGE ||
		   p->len + (unsigned int)r->status > rx_max(nf) ||
		   p->slots > NF_RX_MAX_SLOTS)) {
		nf->stats.bad_responses++;
		p->drop = RX_BAD;
	}
	if (p->drop)
		return 0;
	if (single) {
		p->in_place = (char *)nf->rxb[r->id].page + r->offset;
	} else {
		memcpy(nf->rx_frame + p->len,
		       (char *)nf->rxb[r->id].page + r->offset,
		       (size_t)r->status);
	}
	p->len += (size_t)r->status;
	return 0;
}

/* rx_deliver - hand a whole good frame to the callback. */
static void rx_deliver(struct netfront *nf, struct rx_pkt *p, void *frame)
{
	unsigned int flags = 0;

	if (p->flags & NETRXF_data_validated)
		flags |= NETFRONT_RX_CSUM_VALID;
	if (p->flags & NETRXF_csum_blank) {
		flags |= NETFRONT_RX_CSUM_BLANK;
		nf->stats.rx_csum_blank++;
	}
	if (p->gso) {
		flags |= NETFRONT_RX_GSO;
		nf->stats.rx_gso++;
	}
	if (p->slots > 1)
		nf->stats.rx_multislot++;
	nf->stats.rx_packets++;
	nf->stats.rx_bytes += p->len;
	if (nf->rx_fn)
		nf->rx_fn(nf, frame, p->len, flags, nf->rx_arg);
	else
		nf->stats.rx_dropped++;
}

/*
 * rx_chain - take one frame's slots off the ring (of *avail produced)
 * into *p: the first data slot, its extra-info slots, the data slots
 * that follow while NETRXF_more_data says so. A bad slot marks the frame
 * dropped and counted; so does a chain that does not end within what
 * the backend produced (netback publishes whole frames). -1 if a bad id
 * broke the device.
 */
static int rx_chain(struct netfront *nf, long *avail, struct rx_pkt *p)
{
	struct netif_rx_response r;
	int more = 1, extra = 0;

	while (more || extra) {
		if (!*avail) {
			if (!p->drop)
				nf->stats.bad_responses++; /* cut short */
			p->drop = RX_BAD;
			return 0;
		}
		rx_take(nf, avail, &r);
		if (extra) {
			extra = rx_extra(nf, p, &r);
			if (extra < 0)
				return -1;
			continue;
		}
		if (!p->slots) {
			p->flags = r.flags;
			if (r.flags & NETRXF_gso_prefix) {
				netfront_broken(nf, "rx response with "
						"unnegotiated flags", r.flags);
				return -1;
			}
			extra = !!(r.flags & NETRXF_extra_info);
		}
		more = !!(r.flags & NETRXF_more_data);
		if (rx_data(nf, p, &r, !p->slots && !more && !extra))
			return -1;
	}
	return 0;
}

/* rx_packet - take one frame off the ring (rx_chain), deliver it if it
 * is good, then give every buffer it used back to the backend. */
static void rx_packet(struct netfront *nf, long *avail)
{
	struct rx_pkt p;

	p.len = 0;
	p.slots = 0;
	p.flags = 0;
	p.gso = 0;
	p.drop = RX_KEEP;
	p.in_place = NULL;
	p.nids = 0;
	if (rx_chain(nf, avail, &p))
		return;
	if (!p.drop && !p.gso && p.len > NETFRONT_MAX_FRAME) {
		nf->stats.bad_responses++;	/* over the MTU, not GSO */
		p.drop = RX_BAD;
	}
	if (!p.drop)
		rx_deliver(nf, &p, p.in_place ? p.in_place : nf->rx_frame);
	for (unsigned int i = 0; i < p.nids; i++)
		post_rx(nf, p.ids[i]);
}

/* tx_take - take the transmit completions the backend has produced,
 * freeing their slots. */
static void tx_take(struct netfront *nf)
{
	RING_IDX prod = nf->tx.sring->rsp_prod;

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
		if (r.status == NETIF_RSP_NULL) {
			/* The answer to an extra-info slot; one we did not
			 * send cannot be answered. */
			if (!nf->tx_extras) {
				netfront_broken(nf, "tx NULL response with no "
						"extra-info slot out", r.id);
				return;
			}
			nf->tx_extras--;
			continue;
		}
		if (r.id >= NF_TX || !nf->tx_inflight[r.id]) {
			netfront_broken(nf, "tx response with a bad id", r.id);
			return;
		}
		nf->tx_inflight[r.id] = 0;
		nf->tx_free[nf->tx_nfree++] = r.id;
		if (r.status != NETIF_RSP_OKAY)
			nf->stats.tx_errors++;
	}
}

/*
 * tx_reclaim - take transmit completions. Only a sender that waits for
 * slots (arm) asks the backend for an event on the next completion: a
 * completion is otherwise picked up by the next send or receive, which
 * saves an event, a wake-up and a block per frame sent.
 */
static void tx_reclaim(struct netfront *nf, int arm)
{
	int more = 1;

	while (more && !nf->broken) {
		tx_take(nf);
		if (!arm)
			break;
		RING_FINAL_CHECK_FOR_RESPONSES(&nf->tx, more);
	}
	waitq_wake_all(&nf->tx_space);
}

void netfront_tx_drain(struct netfront *nf, uint64_t timeout_ns)
{
	uint64_t deadline = xen_time_ns() + timeout_ns;
	unsigned int s = evtchn_events_save();

	tx_reclaim(nf, 1);
	while (nf->tx_nfree < NF_TX && !nf->broken) {
		if (waitq_wait(&nf->tx_space, deadline) == -ETIMEDOUT)
			break;
		tx_reclaim(nf, 1);
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
		while (n > 0 && !nf->broken)
			rx_packet(nf, &n);
		if (nf->broken)
			break;
		push_rx(nf);
		tx_reclaim(nf, 0);
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

/* tx_push - publish the queued requests; notify the backend if it asks. */
static void tx_push(struct netfront *nf)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nf->tx, notify);
	if (notify)
		evtchn_notify(nf->port);
}

/* tx_room - n transmit ids free and ring room for n + extra requests. */
static int tx_room(const struct netfront *nf, unsigned int n,
		   unsigned int extra)
{
	return nf->tx_nfree >= n && RING_FREE_REQUESTS(&nf->tx) >= n + extra;
}

/* take_tx_slots - wait up to 1 s until n transmit ids are free and the
 * ring has room for n + extra requests (a GSO frame's extra-info slot
 * takes a request but no id); 0, or -EAGAIN (still not), -EIO (the
 * device broke meanwhile). */
static int take_tx_slots(struct netfront *nf, unsigned int n,
			 unsigned int extra)
{
	uint64_t deadline;
	unsigned int s;

	tx_reclaim(nf, 0);
	if (nf->broken)		/* a completion just taken was hostile */
		return -EIO;
	if (tx_room(nf, n, extra))
		return 0;	/* no clock read: it may trap (see sched.c) */
	deadline = xen_time_ns() + SEND_WAIT_NS;
	tx_push(nf);		/* a batch's queued frames: let them go */
	s = evtchn_events_save();
	tx_reclaim(nf, 1);	/* the next completion wakes us */
	while (!tx_room(nf, n, extra) && !nf->broken) {
		if (waitq_wait(&nf->tx_space, deadline) == -ETIMEDOUT)
			break;
		evtchn_events_restore(s);
		s = evtchn_events_save();
		tx_reclaim(nf, 1);
	}
	evtchn_events_restore(s);
	if (nf->broken)
		return -EIO;
	return tx_room(nf, n, extra) ? 0 : -EAGAIN;
}

/* tx_size - the total of nseg pieces, or 0 if it overflows 64 KiB. */
static size_t tx_size(const struct netfront_seg *segs, unsigned int nseg)
{
	size_t total = 0;

	for (unsigned int i = 0; i < nseg; i++) {
		if (segs[i].len > 0xffff || total + segs[i].len > 0xffff)
			return 0;
		total += segs[i].len;
	}
	return total;
}

/* tx_copy - the pieces, in order, into the pages of ids[0..]: page k
 * gets bytes k * PAGE up to the next page. */
static void tx_copy(struct netfront *nf, const uint16_t *ids,
		    const struct netfront_seg *segs, unsigned int nseg)
{
	size_t at = 0;

	for (unsigned int i = 0; i < nseg; i++) {
		const char *src = segs[i].buf;
		size_t left = segs[i].len;

		while (left) {
			size_t off = at % PAGE, n = PAGE - off;

			if (n > left)
				n = left;
			memcpy((char *)nf->txb[ids[at / PAGE]].page + off, src, n);
			src += n;
			at += n;
			left -= n;
		}
	}
}

/* tx_request - ring request for slot k of a frame of total bytes in
 * nslots pages: the first carries the total and the frame's flags, each
 * but the last says more data follows. */
static void tx_request(struct netfront *nf, uint16_t id, unsigned int k,
		       unsigned int nslots, size_t total, uint16_t flags)
{
	struct netif_tx_request *req =
		RING_GET_REQUEST(&nf->tx, nf->tx.req_prod_pvt);
	size_t left = total - (size_t)k * PAGE;

	req->gref = nf->txb[id].ref;
	req->offset = 0;
	req->flags = (k == 0 ? flags : 0) |
		     (k + 1 < nslots ? NETTXF_more_data : 0);
	req->id = id;
	req->size = (uint16_t)(k == 0 ? total : left < PAGE ? left : PAGE);
	nf->tx.req_prod_pvt++;
	nf->tx_inflight[id] = 1;
}

/* tx_extra_gso - the GSO extra-info slot after a frame's first (ipv6:
 * the frame is IPv6 TCP, else IPv4 TCP). */
static void tx_extra_gso(struct netfront *nf, unsigned int mss, int ipv6)
{
	struct netif_extra_info *x =
		(void *)RING_GET_REQUEST(&nf->tx, nf->tx.req_prod_pvt);

	memset(x, 0, sizeof(*x));
	x->type = XEN_NETIF_EXTRA_TYPE_GSO;
	x->u.gso.size = (uint16_t)mss;
	x->u.gso.type = ipv6 ? XEN_NETIF_GSO_TYPE_TCPV6
			     : XEN_NETIF_GSO_TYPE_TCPV4;
	nf->tx.req_prod_pvt++;
	nf->tx_extras++;
}

/* tx_is_ipv6 - does the frame in segs (at least 14 bytes) carry IPv6,
 * by its Ethernet type (bytes 12-13, wherever the pieces split it)? */
static int tx_is_ipv6(const struct netfront_seg *segs, unsigned int nseg)
{
	uint8_t type[2];
	size_t at = 0;

	if (nseg && segs[0].len >= 14) {	/* the usual case */
		const uint8_t *b = segs[0].buf;

		return b[12] == 0x86 && b[13] == 0xdd;
	}
	for (unsigned int i = 0; i < nseg; i++) {
		const uint8_t *b = segs[i].buf;

		for (size_t k = 0; k < segs[i].len && at < 14; k++, at++)
			if (at >= 12)
				type[at - 12] = b[k];
		if (at >= 14)
			break;
	}
	return at >= 14 && type[0] == 0x86 && type[1] == 0xdd;
}

/* tx_check - netfront_sendv's argument checks (mss: a GSO frame's, else
 * 0; ipv6: the frame is IPv6): 0 or -errno. */
static int tx_check(struct netfront *nf, size_t total, unsigned int flags,
		    unsigned int mss, int ipv6)
{
	unsigned int gso = ipv6 ? NETFRONT_F_TX_GSO6 : NETFRONT_F_TX_GSO;
	unsigned int csum = ipv6 ? NETFRONT_F_TX_CSUM6 : NETFRONT_F_TX_CSUM;

	if (mss && (!(nf->features & gso) || mss < 64 ||
		    mss + (ipv6 ? 60 : 40) > nf->mtu ||
		    !(flags & NETFRONT_TX_CSUM_OFFLOAD)))
		return -EINVAL;
	if (total < 14 || total > (mss ? NETFRONT_MAX_GSO_FRAME : nf->mtu + 14) ||
	    (total > PAGE && !(nf->features & NETFRONT_F_SG)))
		return -EMSGSIZE;
	if ((flags & ~NETFRONT_TX_CSUM_OFFLOAD) ||
	    ((flags & NETFRONT_TX_CSUM_OFFLOAD) && !(nf->features & csum)))
		return -EINVAL;
	if (nf->broken || nf->stopping)
		return -EIO;
	return 0;
}

/* tx_queue - put one frame on the ring (a GSO frame when mss is set),
 * not yet published (tx_push). 0 or -errno as netfront_sendv. */
static int tx_queue(struct netfront *nf, const struct netfront_seg *segs,
		    unsigned int nseg, unsigned int flags, unsigned int mss)
{
	size_t total = tx_size(segs, nseg);
	unsigned int nslots = (unsigned int)((total + PAGE - 1) / PAGE);
	uint16_t ids[NETFRONT_MAX_GSO_FRAME / PAGE + 1];
	uint16_t txf = 0;
	int ipv6 = tx_is_ipv6(segs, nseg);
	int rc = tx_check(nf, total, flags, mss, ipv6);

	if (rc)
		return rc;
	rc = take_tx_slots(nf, nslots, mss ? 1 : 0);
	if (rc)
		return rc;
	for (unsigned int k = 0; k < nslots; k++)
		ids[k] = nf->tx_free[--nf->tx_nfree];
	tx_copy(nf, ids, segs, nseg);
	if (flags & NETFRONT_TX_CSUM_OFFLOAD) {
		txf = NETTXF_csum_blank | NETTXF_data_validated;
		nf->stats.tx_csum_offload++;
	}
	for (unsigned int k = 0; k < nslots; k++) {
		tx_request(nf, ids[k], k, nslots, total,
			   k == 0 && mss ? txf | NETTXF_extra_info : txf);
		if (k == 0 && mss)
			tx_extra_gso(nf, mss, ipv6);
	}
	if (mss)
		nf->stats.tx_gso++;
	if (nslots > 1)
		nf->stats.tx_multislot++;
	nf->stats.tx_packets++;
	nf->stats.tx_bytes += total;
	return 0;
}

/* tx_send - netfront_sendv, or netfront_send_gso when mss is set. */
static int tx_send(struct netfront *nf, const struct netfront_seg *segs,
		   unsigned int nseg, unsigned int flags, unsigned int mss)
{
	int rc = tx_queue(nf, segs, nseg, flags, mss);

	if (!rc)
		tx_push(nf);
	return rc;
}

int netfront_sendv(struct netfront *nf, const struct netfront_seg *segs,
		   unsigned int nseg, unsigned int flags)
{
	return tx_send(nf, segs, nseg, flags, 0);
}

int netfront_send_batch(struct netfront *nf,
			const struct netfront_frame *frames, unsigned int n)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		struct netfront_seg seg = { frames[i].buf, frames[i].len };

		rc = tx_queue(nf, &seg, 1, frames[i].flags, 0);
		if (rc)
			break;
	}
	tx_push(nf);
	return i ? (int)i : rc;
}

int netfront_send_gso(struct netfront *nf, const struct netfront_seg *segs,
		      unsigned int nseg, unsigned int mss)
{
	return tx_send(nf, segs, nseg, NETFRONT_TX_CSUM_OFFLOAD, mss ? mss : 1);
}

int netfront_send(struct netfront *nf, const void *buf, size_t len)
{
	struct netfront_seg seg = { buf, len };

	return netfront_sendv(nf, &seg, 1, 0);
}

unsigned int netfront_mtu(const struct netfront *nf)
{
	return nf->mtu;
}

unsigned int netfront_features(const struct netfront *nf)
{
	return nf->features;
}

void netfront_mac(const struct netfront *nf, uint8_t mac[6])
{
	memcpy(mac, nf->mac, 6);
}

void netfront_stats_get(const struct netfront *nf, struct netfront_stats *s)
{
	*s = nf->stats;
}
