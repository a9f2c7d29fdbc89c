/*
 * test_netfront.c - netfront's data path against a fake backend that
 * writes good and hostile responses into the shared rings: bad ids,
 * replayed ids, lengths past the page, impossible producer indices,
 * unnegotiated flags, multi-slot frames and extra-info slots, good and
 * broken chains, multi-slot sends, a full transmit ring. The device must deliver
 * what is valid, count or refuse the rest, and never read or write out
 * of bounds (ASan watches).
 *
 * netfront.c is included whole so its static functions can be driven
 * one step at a time; the kernel services it calls are faked below.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/xen.h>
#include "netfront/netfront.h"
#include "unit.h"

/* --- fakes for what netfront.c uses ------------------------------------ */

struct thread { int dummy; };
static struct thread fake_thread;
static uint64_t fake_now;
static int notifies, broken_msgs;

int printk(const char *fmt, ...)
{
	(void)fmt;
	broken_msgs++;
	return 0;
}
void thread_wake(struct thread *t) { (void)t; }
int thread_block(uint64_t d) { (void)d; return 0; }
int thread_create(struct thread **out, const struct thread_attr *a,
		  thread_fn fn, void *arg)
{
	(void)a; (void)fn; (void)arg;
	*out = &fake_thread;
	return 0;
}
int thread_join(struct thread *t, void **r) { (void)t; (void)r; return 0; }
void waitq_init(struct waitq *q) { (void)q; }
int waitq_wake_all(struct waitq *q) { (void)q; return 0; }
int waitq_wait(struct waitq *q, uint64_t deadline)
{
	(void)q;
	fake_now = deadline;		/* nothing comes: time runs out */
	return -ETIMEDOUT;
}
int evtchn_notify(evtchn_port_t p) { (void)p; notifies++; return 0; }
unsigned int evtchn_events_save(void) { return 0; }
void evtchn_events_restore(unsigned int s) { (void)s; }
uint64_t xen_time_ns(void) { return fake_now; }

#include "netfront/netfront.c"

/* --- a device wired to the fake backend -------------------------------- */

static struct netfront *nf;
static char delivered[NETFRONT_MAX_GSO_FRAME];
static size_t delivered_len;
static unsigned int delivered_flags;
static int deliveries;

static void on_frame(struct netfront *dev, void *f, size_t len,
		     unsigned int flags, void *a)
{
	(void)dev;
	(void)a;
	memcpy(delivered, f, len);
	delivered_len = len;
	delivered_flags = flags;
	deliveries++;
}

/* page - a zeroed, page-aligned page. */
static void *page(void)
{
	void *p;

	if (posix_memalign(&p, 4096, 4096))
		abort();
	memset(p, 0, 4096);
	return p;
}

static void setup(void)
{
	nf = calloc(1, sizeof(*nf));
	nf->tx_ring.page = page();
	nf->rx_ring.page = page();
	SHARED_RING_INIT((struct netif_tx_sring *)nf->tx_ring.page);
	SHARED_RING_INIT((struct netif_rx_sring *)nf->rx_ring.page);
	FRONT_RING_INIT(&nf->tx, (struct netif_tx_sring *)nf->tx_ring.page, 4096);
	FRONT_RING_INIT(&nf->rx, (struct netif_rx_sring *)nf->rx_ring.page, 4096);
	for (int i = 0; i < NF_TX; i++) {
		nf->txb[i].page = page();
		nf->txb[i].ref = 1000 + i;
		nf->tx_free[nf->tx_nfree++] = (uint16_t)i;
	}
	for (int i = 0; i < NF_RX; i++) {
		nf->rxb[i].page = page();
		nf->rxb[i].ref = 2000 + i;
	}
	nf->mtu = 1500;
	nf->features = NETFRONT_F_SG | NETFRONT_F_TX_CSUM;
	netfront_set_rx(nf, on_frame, NULL);
	netfront_start(nf);			/* posts every rx buffer */
	deliveries = 0;
	broken_msgs = 0;
}

static void teardown(void)
{
	for (int i = 0; i < NF_TX; i++)
		free(nf->txb[i].page);
	for (int i = 0; i < NF_RX; i++)
		free(nf->rxb[i].page);
	free(nf->tx_ring.page);
	free(nf->rx_ring.page);
	free(nf);
}

/* backend_rx - the backend answers one rx request. */
static void backend_rx(uint16_t id, uint16_t offset, int16_t status,
		       uint16_t flags)
{
	struct netif_rx_sring *s = nf->rx.sring;
	struct netif_rx_response *r = &s->ring[s->rsp_prod % NF_RX].rsp;

	r->id = id;
	r->offset = offset;
	r->status = status;
	r->flags = flags;
	s->rsp_prod++;
}

/* drain_rx - what the rx thread does once. */
static void drain_rx(void)
{
	long n = rx_ready(nf);

	if (n < 0) {
		netfront_broken(nf, "impossible rx producer index", 0);
		return;
	}
	while (n > 0 && !nf->broken)
		rx_packet(nf, &n);
}

static void rx_good_frame(void)
{
	setup();
	memcpy((char *)nf->rxb[5].page + 32, "hello frame....", 16);
	backend_rx(5, 32, 16, NETRXF_data_validated);
	drain_rx();
	EXPECT(deliveries == 1 && delivered_len == 16 &&
	       !memcmp(delivered, "hello frame....", 16), "frame not delivered");
	EXPECT(nf->rx_posted[5] && !nf->broken, "buffer 5 must be posted again");
	EXPECT(nf->stats.rx_packets == 1 && nf->stats.rx_bytes == 16, "counters");
	EXPECT(delivered_flags == NETFRONT_RX_CSUM_VALID, "flags %u",
	       delivered_flags);
	teardown();
}

static void rx_bad_id(void)
{
	setup();
	backend_rx(300, 0, 60, 0);
	drain_rx();
	EXPECT(nf->broken && !deliveries && broken_msgs == 1,
	       "an id beyond the ring must break the device, with a message");
	EXPECT(netfront_send(nf, "0123456789abcdef", 16) == -EIO,
	       "a broken device must refuse to send");
	teardown();
}

static void rx_replayed_id(void)
{
	setup();
	nf->rx_posted[9] = 0;		/* as if 9 were already answered */
	backend_rx(9, 0, 60, 0);
	drain_rx();
	EXPECT(nf->broken && !deliveries,
	       "a response for a buffer not posted must break it");
	teardown();
}

static void rx_length_past_page(void)
{
	setup();
	backend_rx(3, 4000, 200, 0);		/* 4000 + 200 > 4096 */
	backend_rx(4, 0, 0, 0);			/* empty frame */
	backend_rx(6, 0, 5000, 0);		/* over a page */
	drain_rx();
	EXPECT(!deliveries && nf->stats.bad_responses == 3 && !nf->broken,
	       "bad lengths must be counted and dropped (%lu)",
	       nf->stats.bad_responses);
	EXPECT(nf->rx_posted[3] && nf->rx_posted[4] && nf->rx_posted[6],
	       "their buffers must go back to the backend");
	teardown();
}

static void rx_errors_and_flags(void)
{
	setup();
	backend_rx(1, 0, NETIF_RSP_ERROR, 0);
	backend_rx(2, 0, 60, NETRXF_csum_blank | NETRXF_data_validated);
	drain_rx();
	EXPECT(nf->stats.rx_errors == 1 && deliveries == 1 && !nf->broken &&
	       delivered_flags == (NETFRONT_RX_CSUM_BLANK |
				   NETFRONT_RX_CSUM_VALID) &&
	       nf->stats.rx_csum_blank == 1,
	       "an error dropped, a blank checksum delivered with its flag");
	backend_rx(3, 0, 60, NETRXF_gso_prefix);
	drain_rx();
	EXPECT(nf->broken, "an unnegotiated GSO prefix must break it");
	teardown();
}

static void rx_impossible_producer(void)
{
	setup();
	nf->rx.sring->rsp_prod = nf->rx.rsp_cons + NF_RX + 1;
	drain_rx();
	EXPECT(nf->broken && !deliveries, "a producer beyond the ring must break it");
	teardown();
}

/* backend_tx - complete tx request number n with id and status. */
static void backend_tx(uint16_t id, int16_t status)
{
	struct netif_tx_sring *s = nf->tx.sring;
	struct netif_tx_response *r = &s->ring[s->rsp_prod % NF_TX].rsp;

	r->id = id;
	r->status = status;
	s->rsp_prod++;
}

static void tx_send_and_complete(void)
{
	char frame[60] = "destination+source+type";
	struct netif_tx_request *req;

	setup();
	EXPECT(netfront_send(nf, frame, 13) == -EMSGSIZE, "runt accepted");
	EXPECT(netfront_send(nf, frame, 1515) == -EMSGSIZE, "giant accepted");
	EXPECT(netfront_sendv(nf, NULL, 0, 0) == -EMSGSIZE, "empty accepted");
	EXPECT(netfront_sendv(nf, &(struct netfront_seg){ frame, 60 }, 1, 4) ==
	       -EINVAL, "an unknown flag accepted");
	EXPECT(netfront_send(nf, frame, sizeof(frame)) == 0, "send failed");
	req = RING_GET_REQUEST(&nf->tx, 0);
	EXPECT(req->size == 60 && req->gref == 1000u + req->id &&
	       !memcmp(nf->txb[req->id].page, frame, 60), "request wrong");
	backend_tx(req->id, NETIF_RSP_OKAY);
	tx_reclaim(nf, 1);
	EXPECT(nf->tx_nfree == NF_TX && !nf->tx_inflight[req->id],
	       "the completed slot must be free again");
	backend_tx(req->id, NETIF_RSP_OKAY);	/* completed twice */
	EXPECT(netfront_send(nf, frame, sizeof(frame)) == -EIO,
	       "a send that takes a hostile completion must fail");
	EXPECT(nf->broken, "a completion for a slot not in flight must break it");
	teardown();
}

static void tx_ring_full(void)
{
	char frame[60] = { 0 };
	int ok = 0;

	setup();
	for (int i = 0; i < NF_TX + 1; i++)
		ok += netfront_send(nf, frame, sizeof(frame)) == 0;
	EXPECT(ok == NF_TX, "%d sends went through, wanted %d", ok, NF_TX);
	EXPECT(netfront_send(nf, frame, sizeof(frame)) == -EAGAIN,
	       "a full ring must give -EAGAIN after the wait, not hang");
	backend_tx(17, NETIF_RSP_OKAY);
	EXPECT(netfront_send(nf, frame, sizeof(frame)) == 0,
	       "a completion must free a slot");
	teardown();
}

/* Completions are picked up without an event while slots are free: a
 * send leaves the tx response event where it was; a send that must
 * wait for a slot asks for the next completion's event. */
static void tx_event_only_when_waiting(void)
{
	char frame[60] = { 0 };
	RING_IDX ev;

	setup();
	ev = nf->tx.sring->rsp_event;
	for (int i = 0; i < 3; i++) {
		EXPECT(netfront_send(nf, frame, sizeof(frame)) == 0, "send");
		backend_tx(RING_GET_REQUEST(&nf->tx, i)->id, NETIF_RSP_OKAY);
	}
	EXPECT(nf->tx.sring->rsp_event == ev,
	       "sends with free slots armed the tx event: %u, was %u",
	       nf->tx.sring->rsp_event, ev);
	EXPECT(nf->tx.rsp_cons == 2, "the sends took the completions so far: %u",
	       nf->tx.rsp_cons);
	for (int i = 3; i < NF_TX + 3; i++)
		netfront_send(nf, frame, sizeof(frame));
	EXPECT(netfront_send(nf, frame, sizeof(frame)) == -EAGAIN, "ring full");
	EXPECT(nf->tx.sring->rsp_event == nf->tx.rsp_cons + 1,
	       "a waiting send must ask for the next completion: %u, cons %u",
	       nf->tx.sring->rsp_event, nf->tx.rsp_cons);
	teardown();
}

/* backend_extra - the backend writes an extra-info slot. */
static void backend_extra(uint8_t type, uint8_t flags)
{
	struct netif_rx_sring *s = nf->rx.sring;
	struct netif_extra_info *x = (void *)&s->ring[s->rsp_prod % NF_RX].rsp;

	memset(x, 0, sizeof(*x));
	x->type = type;
	x->flags = flags;
	s->rsp_prod++;
}

/* all_posted - every rx buffer is back with the backend. */
static int all_posted(void)
{
	int n = 0;

	for (int i = 0; i < NF_RX; i++)
		n += nf->rx_posted[i];
	return n == NF_RX && nf->rx.req_prod_pvt - nf->rx.rsp_cons == NF_RX;
}

/* fill_page - buffer id's page with a pattern starting at value v. */
static void fill_page(uint16_t id, uint8_t v)
{
	for (int i = 0; i < 4096; i++)
		((uint8_t *)nf->rxb[id].page)[i] = (uint8_t)(v + i);
}

static void rx_multislot(void)
{
	int ok = 1;

	setup();
	fill_page(0, 1);
	fill_page(1, 2);
	fill_page(2, 3);
	backend_rx(0, 0, 4096, NETRXF_more_data | NETRXF_csum_blank |
		   NETRXF_data_validated);
	backend_rx(1, 0, 4096, NETRXF_more_data);
	backend_rx(2, 10, 822, 0);
	drain_rx();
	EXPECT(deliveries == 1 && delivered_len == 9014,
	       "a 3-slot frame must come whole (%d, %zu)", deliveries,
	       delivered_len);
	for (int i = 0; i < 9014; i++)
		ok &= (uint8_t)delivered[i] == (uint8_t)(i < 8192 ? 1 + i / 4096 + i :
							  3 + 10 + i);
	EXPECT(ok, "the frame's bytes must be the slots' in order");
	EXPECT(delivered_flags & NETFRONT_RX_CSUM_BLANK,
	       "the first slot's flags are the frame's");
	EXPECT(all_posted() && nf->stats.rx_multislot == 1 && !nf->broken,
	       "every buffer back with the backend");
	teardown();
}

static void rx_extra_info(void)
{
	setup();
	backend_rx(0, 0, 100, NETRXF_extra_info | NETRXF_more_data);
	backend_extra(XEN_NETIF_EXTRA_TYPE_HASH, XEN_NETIF_EXTRA_FLAG_MORE);
	backend_extra(XEN_NETIF_EXTRA_TYPE_HASH, 0);
	backend_rx(3, 0, 50, 0);
	drain_rx();
	EXPECT(deliveries == 1 && delivered_len == 150 && all_posted(),
	       "hash extras are skipped, their buffers reposted (%d, %zu)",
	       deliveries, delivered_len);
	backend_rx(4, 0, 60, NETRXF_extra_info);
	backend_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0);
	backend_rx(6, 0, 60, NETRXF_extra_info);
	backend_extra(0, 0);			/* type NONE: invalid */
	backend_rx(8, 0, 60, 0);		/* a good one after */
	drain_rx();
	EXPECT(deliveries == 2 && nf->stats.bad_responses == 2 &&
	       all_posted() && !nf->broken,
	       "GSO and invalid extras drop their frame only (%d, %lu)",
	       deliveries, nf->stats.bad_responses);
	teardown();
}

/* backend_gso - the backend writes a GSO extra-info slot. */
static void backend_gso(uint8_t gso_type, uint16_t size)
{
	struct netif_rx_sring *s = nf->rx.sring;
	struct netif_extra_info *x = (void *)&s->ring[s->rsp_prod % NF_RX].rsp;

	memset(x, 0, sizeof(*x));
	x->type = XEN_NETIF_EXTRA_TYPE_GSO;
	x->u.gso.type = gso_type;
	x->u.gso.size = size;
	s->rsp_prod++;
}

/* gso_frame - a frame of `pages` data slots (ids first, first + 2...,
 * skipping first + 1 for the extra) and last bytes in the last one. */
static void gso_frame(uint16_t first, int pages, int16_t last,
		      uint8_t gso_type)
{
	backend_rx(first, 0, 4096, NETRXF_more_data | NETRXF_extra_info |
		   NETRXF_csum_blank | NETRXF_data_validated);
	backend_gso(gso_type, 1448);
	for (int i = 1; i < pages; i++)
		backend_rx((uint16_t)(first + 1 + i), 0,
			   i == pages - 1 ? last : 4096,
			   i == pages - 1 ? 0 : NETRXF_more_data);
}

/* rx_gso - with NETFRONT_OPEN_RX_GSO: a 64 KiB TCPv4 GSO frame and a
 * TCPv6 one come whole and flagged; a GSO type we do not take, or a
 * frame over the MTU without GSO, is dropped; the device keeps
 * working. */
static void rx_gso(void)
{
	setup();
	nf->opts = NETFRONT_OPEN_RX_GSO;
	gso_frame(0, 16, 4095, XEN_NETIF_GSO_TYPE_TCPV4);	/* slots 0-16 */
	drain_rx();
	EXPECT(deliveries == 1 && delivered_len == NETFRONT_MAX_GSO_FRAME &&
	       (delivered_flags & NETFRONT_RX_GSO) &&
	       (delivered_flags & NETFRONT_RX_CSUM_BLANK) &&
	       nf->stats.rx_gso == 1 && all_posted(),
	       "a 64 KiB GSO frame must come whole and flagged (%d, %zu, %#x)",
	       deliveries, delivered_len, delivered_flags);
	gso_frame(17, 2, 100, XEN_NETIF_GSO_TYPE_TCPV6);	/* slots 17-19 */
	drain_rx();
	EXPECT(deliveries == 2 && delivered_len == 4096 + 100 &&
	       (delivered_flags & NETFRONT_RX_GSO) && nf->stats.rx_gso == 2,
	       "a TCPv6 GSO frame must come whole and flagged (%d, %zu, %#x)",
	       deliveries, delivered_len, delivered_flags);
	gso_frame(20, 2, 100, XEN_NETIF_GSO_TYPE_NONE);	/* slots 20-22 */
	backend_rx(23, 0, 4096, NETRXF_more_data);	/* 3 pages, no GSO */
	backend_rx(24, 0, 4096, NETRXF_more_data);
	backend_rx(25, 0, 4096, 0);
	backend_rx(26, 0, 60, 0);			/* a good one after */
	drain_rx();
	EXPECT(deliveries == 3 && delivered_len == 60 &&
	       !(delivered_flags & NETFRONT_RX_GSO) &&
	       nf->stats.bad_responses == 2 && all_posted() && !nf->broken,
	       "GSO of no type and an oversize frame without GSO must be "
	       "dropped (%d, %lu)", deliveries, nf->stats.bad_responses);
	teardown();
}

/* bad_chain - the backend's slots (ids 0..n-1) give no frame, are
 * counted, all come back, and a good frame after them gets through. */
static void bad_chain(const char *what, const uint16_t *off,
		      const int16_t *len, const uint16_t *flags, int n)
{
	unsigned long bad;

	setup();
	for (int i = 0; i < n; i++)
		backend_rx((uint16_t)i, off[i], len[i], flags[i]);
	drain_rx();
	bad = nf->stats.bad_responses + nf->stats.rx_errors;
	EXPECT(!deliveries && bad == 1 && all_posted() && !nf->broken,
	       "%s: %d delivered, %lu counted", what, deliveries, bad);
	backend_rx((uint16_t)n, 0, 60, 0);
	drain_rx();
	EXPECT(deliveries == 1 && delivered_len == 60,
	       "%s: the next frame must get through", what);
	teardown();
}

static void rx_bad_chains(void)
{
	static const uint16_t more = NETRXF_more_data, off0[20];
	static const uint16_t off_past[] = { 0, 100, 0 };
	static const int16_t len_past[] = { 4096, 4000, 50 };
	static const uint16_t fl3[] = { NETRXF_more_data, NETRXF_more_data, 0 };
	static const int16_t len_big[] = { 4096, 4096, 4096 };
	static const int16_t len_err[] = { 4096, NETIF_RSP_ERROR, 50 };
	static const int16_t len_zero[] = { 4096, 0, 50 };
	int16_t len_long[20];
	uint16_t fl_long[20];

	bad_chain("offset + length past the page", off_past, len_past, fl3, 3);
	bad_chain("over the largest frame", off0, len_big, fl3, 3);
	bad_chain("an error in the middle", off0, len_err, fl3, 3);
	bad_chain("an empty slot in the middle", off0, len_zero, fl3, 3);
	bad_chain("no end before the producer", off0, len_big, fl3, 2);
	for (int i = 0; i < 20; i++) {
		len_long[i] = 100;
		fl_long[i] = i < 19 ? more : 0;
	}
	bad_chain("more slots than a frame may take", off0, len_long, fl_long, 20);
	setup();
	backend_rx(0, 0, 4096, NETRXF_more_data);
	backend_rx(0, 0, 100, 0);		/* the same buffer again */
	drain_rx();
	EXPECT(nf->broken && !deliveries, "a replayed id inside a chain breaks it");
	teardown();
}

/* tx_batch - a batch is published at once, in order; a refused frame
 * ends it, and what came before still goes. */
static void tx_batch(void)
{
	static char a[60] = "A", b[1514] = "B", c[8] = "C";
	struct netfront_frame f[3] = { { a, sizeof(a), 0 }, { b, sizeof(b), 0 },
				       { c, sizeof(c), 0 } };
	struct netif_tx_request r[2];

	setup();
	EXPECT(netfront_send_batch(nf, f, 2) == 2 && nf->tx.sring->req_prod == 2,
	       "two frames published together (req_prod %u)",
	       nf->tx.sring->req_prod);
	r[0] = *RING_GET_REQUEST(&nf->tx, 0);
	r[1] = *RING_GET_REQUEST(&nf->tx, 1);
	EXPECT(r[0].size == 60 && r[1].size == 1514 &&
	       ((char *)nf->txb[r[0].id].page)[0] == 'A' &&
	       ((char *)nf->txb[r[1].id].page)[0] == 'B', "in order");
	EXPECT(netfront_send_batch(nf, f, 3) == 2 && nf->tx.sring->req_prod == 4,
	       "a runt third frame ends the batch after two");
	EXPECT(netfront_send_batch(nf, f + 2, 1) == -EMSGSIZE,
	       "a batch refused at its first frame gives the error");
	teardown();
}

/* tx_gso - a 20000-byte GSO frame: its first slot flagged, a GSO extra
 * right after it, then the data slots; the backend's NULL answer to the
 * extra is skipped, every id comes back. Refused without the backend's
 * feature or with an impossible mss. */
static void tx_gso(void)
{
	static char frame[20000];
	struct netfront_seg seg = { frame, sizeof(frame) };
	struct netif_tx_request r0, r[5];
	struct netif_extra_info x;

	setup();
	EXPECT(netfront_send_gso(nf, &seg, 1, 1460) == -EINVAL,
	       "GSO without the backend's feature accepted");
	nf->features |= NETFRONT_F_TX_GSO;
	EXPECT(netfront_send_gso(nf, &seg, 1, 10) == -EINVAL &&
	       netfront_send_gso(nf, &seg, 1, 1461) == -EINVAL,
	       "an mss outside 64..MTU-40 accepted");
	EXPECT(netfront_send_gso(nf, &seg, 1, 1460) == 0, "a GSO frame refused");
	r0 = *RING_GET_REQUEST(&nf->tx, 0);
	memcpy(&x, RING_GET_REQUEST(&nf->tx, 1), sizeof(x));
	r[0] = r0;
	for (int k = 1; k < 5; k++)
		r[k] = *RING_GET_REQUEST(&nf->tx, k + 1);
	EXPECT(nf->tx.req_prod_pvt == 6 && r0.size == 20000 &&
	       (r0.flags & NETTXF_extra_info) && (r0.flags & NETTXF_csum_blank) &&
	       x.type == XEN_NETIF_EXTRA_TYPE_GSO && x.u.gso.size == 1460 &&
	       x.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 && r[4].size == 20000 - 4 * 4096,
	       "requests: %u, first %u bytes flags %#x, extra type %u size %u",
	       nf->tx.req_prod_pvt, r0.size, r0.flags, x.type, x.u.gso.size);
	backend_tx(r[0].id, NETIF_RSP_OKAY);
	backend_tx(0xffff, NETIF_RSP_NULL);	/* the extra's answer */
	for (int k = 1; k < 5; k++)
		backend_tx(r[k].id, NETIF_RSP_OKAY);
	tx_reclaim(nf, 1);
	EXPECT(!nf->broken && nf->tx_nfree == NF_TX && nf->stats.tx_gso == 1,
	       "every id back, device fine (broken %d, free %u)", nf->broken,
	       nf->tx_nfree);
	backend_tx(0, NETIF_RSP_NULL);		/* no extra is out */
	tx_reclaim(nf, 1);
	EXPECT(nf->broken, "a NULL answer to no extra-info slot must break it");
	teardown();
}

/* tx_ipv6_offload - an IPv6 frame (by its Ethernet type, wherever the
 * pieces cut it) needs the backend's IPv6 features for a blank checksum
 * and for GSO, gets a TCPv6 extra, and an mss that leaves room for the
 * 40-byte IPv6 header. */
static void tx_ipv6_offload(void)
{
	static char frame[20000];
	struct netfront_seg seg = { frame, sizeof(frame) };
	struct netfront_seg split[] = { { frame, 13 }, { frame + 13, 1000 } };
	struct netif_extra_info x;

	setup();
	frame[12] = (char)0x86;
	frame[13] = (char)0xdd;
	nf->features |= NETFRONT_F_TX_GSO;
	EXPECT(netfront_sendv(nf, split, 2, NETFRONT_TX_CSUM_OFFLOAD) == -EINVAL &&
	       netfront_send_gso(nf, &seg, 1, 1400) == -EINVAL &&
	       nf->tx.req_prod_pvt == 0,
	       "IPv6 offload taken with the backend's IPv4 features only");
	nf->features |= NETFRONT_F_TX_CSUM6 | NETFRONT_F_TX_GSO6;
	EXPECT(netfront_sendv(nf, split, 2, NETFRONT_TX_CSUM_OFFLOAD) == 0 &&
	       (RING_GET_REQUEST(&nf->tx, 0)->flags & NETTXF_csum_blank),
	       "an IPv6 blank checksum refused, or not flagged");
	EXPECT(netfront_send_gso(nf, &seg, 1, 1441) == -EINVAL,
	       "an IPv6 mss over MTU - 60 accepted");
	EXPECT(netfront_send_gso(nf, &seg, 1, 1440) == 0, "IPv6 GSO refused");
	memcpy(&x, RING_GET_REQUEST(&nf->tx, 2), sizeof(x));
	EXPECT(x.type == XEN_NETIF_EXTRA_TYPE_GSO &&
	       x.u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6 && x.u.gso.size == 1440,
	       "extra type %u, GSO type %u, size %u", x.type, x.u.gso.type,
	       x.u.gso.size);
	teardown();
}

static void tx_multislot(void)
{
	static char frame[NETFRONT_MAX_FRAME];
	struct netfront_seg segs[] = {
		{ frame, 100 }, { frame + 100, 5000 }, { frame + 5100, 3914 },
	};
	struct netif_tx_request r[3];
	int ok = 1;

	setup();
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = (char)(i * 7);
	EXPECT(netfront_sendv(nf, segs, 3, 0) == -EMSGSIZE,
	       "9014 bytes over an MTU of 1500 accepted");
	nf->mtu = 9000;
	EXPECT(netfront_sendv(nf, segs, 3, NETFRONT_TX_CSUM_OFFLOAD) == 0,
	       "a 3-piece jumbo frame refused");
	for (int k = 0; k < 3; k++)
		r[k] = *RING_GET_REQUEST(&nf->tx, k);
	EXPECT(r[0].size == 9014 && r[1].size == 4096 && r[2].size == 822 &&
	       r[0].flags == (NETTXF_more_data | NETTXF_csum_blank |
			      NETTXF_data_validated) &&
	       r[1].flags == NETTXF_more_data && r[2].flags == 0,
	       "slots: sizes %u %u %u flags %x %x %x", r[0].size, r[1].size,
	       r[2].size, r[0].flags, r[1].flags, r[2].flags);
	for (int i = 0; i < 9014; i++)
		ok &= ((char *)nf->txb[r[i / 4096].id].page)[i % 4096] == frame[i];
	EXPECT(ok, "the pages must hold the frame in order");
	for (int k = 0; k < 3; k++)
		backend_tx(r[k].id, NETIF_RSP_OKAY);
	tx_reclaim(nf, 1);
	EXPECT(nf->tx_nfree == NF_TX && nf->stats.tx_multislot == 1 &&
	       nf->stats.tx_csum_offload == 1, "every slot must be reclaimed");
	nf->features = NETFRONT_F_TX_CSUM;
	EXPECT(netfront_sendv(nf, segs, 2, 0) == -EMSGSIZE,
	       "a multi-slot frame to a backend without scatter-gather");
	nf->features = NETFRONT_F_SG;
	EXPECT(netfront_sendv(nf, segs, 1, NETFRONT_TX_CSUM_OFFLOAD) == -EINVAL,
	       "offload to a backend that refused it");
	teardown();
}

static void tx_ring_full_multislot(void)
{
	static char frame[9014];
	struct netfront_seg seg = { frame, sizeof(frame) };
	int ok = 0;

	setup();
	nf->mtu = 9000;
	for (int i = 0; i < NF_TX - 2; i++)
		ok += netfront_send(nf, frame, 60) == 0;
	EXPECT(ok == NF_TX - 2 && netfront_sendv(nf, &seg, 1, 0) == -EAGAIN,
	       "3 slots wanted, 2 free: -EAGAIN after the wait");
	EXPECT(nf->tx_nfree == 2, "a failed send must keep no slot (%u)",
	       nf->tx_nfree);
	backend_tx(40, NETIF_RSP_OKAY);
	EXPECT(netfront_sendv(nf, &seg, 1, 0) == 0 && nf->tx_nfree == 0,
	       "a completion must make room");
	teardown();
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(rx_good_frame), UNIT(rx_bad_id), UNIT(rx_replayed_id),
		UNIT(rx_length_past_page), UNIT(rx_errors_and_flags),
		UNIT(rx_impossible_producer), UNIT(tx_send_and_complete),
		UNIT(tx_ring_full), UNIT(rx_multislot), UNIT(rx_extra_info), UNIT(rx_gso),
		UNIT(rx_bad_chains), UNIT(tx_batch), UNIT(tx_gso), UNIT(tx_ipv6_offload),
		UNIT(tx_multislot),
		UNIT(tx_ring_full_multislot), UNIT(tx_event_only_when_waiting),
	};

	return RUN_UNITS("netfront", units);
}
