/*
 * test_netfront.c - netfront's data path against a fake backend that
 * writes good and hostile responses into the shared rings: bad ids,
 * replayed ids, lengths past the page, impossible producer indices,
 * unnegotiated flags, a full transmit ring. The device must deliver
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
static char delivered[4096];
static size_t delivered_len;
static int deliveries;

static void on_frame(struct netfront *dev, const void *f, size_t len, void *a)
{
	(void)dev;
	(void)a;
	memcpy(delivered, f, len);
	delivered_len = len;
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
	while (n-- > 0 && !nf->broken)
		rx_one(nf);
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
	backend_rx(6, 0, 3000, 0);		/* over the MTU */
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
	backend_rx(2, 0, 60, NETRXF_csum_blank);
	drain_rx();
	EXPECT(nf->stats.rx_errors == 1 && nf->stats.rx_dropped == 1 &&
	       !deliveries && !nf->broken, "errors and blank checksums dropped");
	backend_rx(3, 0, 60, NETRXF_more_data);
	drain_rx();
	EXPECT(nf->broken, "an unnegotiated multi-slot frame must break it");
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
	EXPECT(netfront_send(nf, frame, sizeof(frame)) == 0, "send failed");
	req = RING_GET_REQUEST(&nf->tx, 0);
	EXPECT(req->size == 60 && req->gref == 1000u + req->id &&
	       !memcmp(nf->txb[req->id].page, frame, 60), "request wrong");
	backend_tx(req->id, NETIF_RSP_OKAY);
	tx_reclaim(nf);
	EXPECT(nf->tx_nfree == NF_TX && !nf->tx_inflight[req->id],
	       "the completed slot must be free again");
	backend_tx(req->id, NETIF_RSP_OKAY);	/* completed twice */
	tx_reclaim(nf);
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

int main(void)
{
	static const struct unit units[] = {
		UNIT(rx_good_frame), UNIT(rx_bad_id), UNIT(rx_replayed_id),
		UNIT(rx_length_past_page), UNIT(rx_errors_and_flags),
		UNIT(rx_impossible_producer), UNIT(tx_send_and_complete),
		UNIT(tx_ring_full),
	};

	return RUN_UNITS("netfront", units);
}
