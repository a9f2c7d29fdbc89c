/*
 * blkfront/blkfront.c - the data path: requests into ring slots,
 * responses back to their requests.
 *
 * All ring work happens in the device's thread: blkfront_submit only
 * queues the request and wakes it. The thread moves queued requests
 * into free slots (one ring request per slot, up to max_segments pages
 * each), pushes them, and takes responses. A slot in flight holds data
 * pages from the device's pool; they are granted to the backend once
 * (lazily, on first use) and reused for good, so a request costs two
 * copies and no grant operation; with feature-persistent the backend
 * keeps them mapped too.
 *
 * Responses are copied off the shared ring before anything looks at
 * them, then checked: the id names a slot in flight, the operation is
 * the one sent, the status is one blkif.h defines. Anything else marks
 * the device broken: every request completes with -EIO.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/mm.h>
#include <minnow/xen.h>
#include "lib/fmt.h"
#include "blkfront/blkfront.h"

/* With requests in flight and no word for this long, ask whether the
 * backend is still there (a detached disk must not hang its callers). */
#define STALL_CHECK_NS	1000000000ULL

void blkfront_broken(struct blkfront *bf, const char *why, unsigned long v)
{
	if (!bf->broken)
		printk("minnow: blkfront %u broken: %s (%lu); the disk stops\n",
		       bf->id, why, v);
	bf->broken = 1;
	if (bf->thread)
		thread_wake(bf->thread);
}

void blkfront_event(evtchn_port_t port, void *arg)
{
	struct blkfront *bf = arg;

	(void)port;
	if (bf->thread)
		thread_wake(bf->thread);
}

void bf_page_free(struct bf_page *p, unsigned long *leaked)
{
	if (p->granted) {
		if (gnttab_end_access(p->ref)) {
			(*leaked)++;
			return;
		}
		gnttab_release(p->ref);
		p->granted = 0;
	}
	if (p->page)
		page_free(p->page, 0);
	p->page = NULL;
}

void blkfront_free_slots(struct blkfront *bf, unsigned long *leaked)
{
	for (unsigned int i = 0; bf->pool && i < bf->pool_size; i++)
		bf_page_free(&bf->pool[i], leaked);
	for (unsigned int i = 0; bf->slots && i < bf->info.ring_slots; i++)
		bf_page_free(&bf->slots[i].ind, leaked);
}

/* page_ready - p allocated and granted to the backend, writable (the
 * backend may map persistent grants writable whatever the request). */
static int page_ready(struct blkfront *bf, struct bf_page *p)
{
	int rc;

	if (p->granted)
		return 0;
	if (!p->page) {
		p->page = page_alloc(0, 0);
		if (!p->page)
			return -ENOMEM;
	}
	rc = gnttab_grant_access((uint16_t)bf->dev.backend_id,
				 virt_to_mfn(p->page), 0, &p->ref);
	if (rc)
		return rc;
	p->granted = 1;
	return 0;
}

/* pool_give - slot s's data pages back to the pool. */
static void pool_give(struct blkfront *bf, struct bf_slot *s)
{
	while (s->npages)
		bf->pool_free[bf->pool_nfree++] = s->pages[--s->npages];
}

/*
 * slot_ready - give slot s n data pages from the pool, and its indirect
 * page if indirect, all allocated and granted. 0; -EAGAIN if the pool
 * has fewer than n free (slots in flight hold them: try again when one
 * completes); -ENOMEM / -ENOSPC (nothing taken).
 */
static int slot_ready(struct blkfront *bf, struct bf_slot *s, unsigned int n,
		      int indirect)
{
	int rc;

	if (n > bf->pool_nfree)
		return -EAGAIN;
	rc = indirect ? page_ready(bf, &s->ind) : 0;
	while (!rc && s->npages < n) {
		struct bf_page *p = bf->pool_free[bf->pool_nfree - 1];

		rc = page_ready(bf, p);
		if (!rc) {
			bf->pool_nfree--;
			s->pages[s->npages++] = p;
		}
	}
	if (rc)
		pool_give(bf, s);
	return rc;
}

/* copy_in / copy_out - a chunk between the caller's buffer and the
 * slot's pages (laid out from the start of page 0). */
static void copy_out(struct bf_slot *s, const char *src, size_t bytes)
{
	for (unsigned int i = 0; bytes; i++) {
		size_t n = bytes < BF_PAGE ? bytes : BF_PAGE;

		memcpy(s->pages[i]->page, src, n);
		src += n;
		bytes -= n;
	}
}

static void copy_in(const struct bf_slot *s, char *dst, size_t bytes)
{
	for (unsigned int i = 0; bytes; i++) {
		size_t n = bytes < BF_PAGE ? bytes : BF_PAGE;

		memcpy(dst, s->pages[i]->page, n);
		dst += n;
		bytes -= n;
	}
}

/* blkif_op - the ring operation for an io. */
static uint8_t blkif_op(const struct blkfront *bf, int op)
{
	if (op == BLKFRONT_READ)
		return BLKIF_OP_READ;
	if (op == BLKFRONT_WRITE)
		return BLKIF_OP_WRITE;
	return bf->info.flush == BLKFRONT_FLUSH_CACHE ?
	       BLKIF_OP_FLUSH_DISKCACHE : BLKIF_OP_WRITE_BARRIER;
}

/* put_request - write slot id's request at the ring's private producer. */
static void put_request(struct blkfront *bf, uint16_t id, uint64_t sector,
			unsigned int nseg)
{
	struct bf_slot *s = &bf->slots[id];
	blkif_request_t *req = RING_GET_REQUEST(&bf->ring, bf->ring.req_prod_pvt);
	gnttab_ref_t refs[BF_MAX_SEGS];

	for (unsigned int i = 0; i < nseg; i++)
		refs[i] = s->pages[i]->ref;
	if (s->indirect) {
		struct blkif_request_indirect *ind = (void *)req;

		ind->operation = BLKIF_OP_INDIRECT;
		ind->indirect_op = s->op;
		ind->nr_segments = (uint16_t)nseg;
		ind->id = id;
		ind->sector_number = sector;
		ind->handle = (blkif_vdev_t)bf->id;
		ind->indirect_grefs[0] = s->ind.ref;
		blkfront_fill_segs(s->bytes, refs, BF_MAX_SEGS, s->ind.page);
	} else {
		req->operation = s->op;
		req->nr_segments = (uint8_t)nseg;
		req->handle = (blkif_vdev_t)bf->id;
		req->id = id;
		req->sector_number = sector;
		blkfront_fill_segs(s->bytes, refs, BLKIF_MAX_SEGMENTS_PER_REQUEST,
				   req->seg);
	}
	bf->ring.req_prod_pvt++;
}

/* issue_chunk - send io's next chunk in a free slot (one must exist).
 * 0; -EAGAIN if the pool is short for now; -ENOMEM / -ENOSPC when the
 * pages cannot be had. */
static int issue_chunk(struct blkfront *bf, struct blkfront_io *io)
{
	uint16_t id = bf->free_ids[bf->nfree - 1];
	struct bf_slot *s = &bf->slots[id];
	size_t bytes = io->op == BLKFRONT_FLUSH ? 0 :
		blkfront_chunk(io->len, io->issued, bf->info.max_segments);
	unsigned int nseg = (unsigned int)((bytes + BF_PAGE - 1) / BF_PAGE);
	int rc;

	s->indirect = nseg > BLKIF_MAX_SEGMENTS_PER_REQUEST;
	rc = slot_ready(bf, s, nseg, s->indirect);
	if (rc)
		return rc;
	bf->nfree--;
	s->io = io;
	s->io_off = io->issued;
	s->bytes = (uint32_t)bytes;
	s->op = blkif_op(bf, io->op);
	if (io->op == BLKFRONT_WRITE)
		copy_out(s, (const char *)io->buf + io->issued, bytes);
	put_request(bf, id, (io->offset + io->issued) / BF_SECTOR, nseg);
	io->issued += bytes;
	io->pending++;
	io->all_sent = io->issued >= io->len;
	bf->stats.ring_requests++;
	return 0;
}

/* complete - io is over: count it and call its callback. */
static void complete(struct blkfront *bf, struct blkfront_io *io)
{
	if (io->status)
		bf->stats.errors++;
	else if (io->op == BLKFRONT_READ)
		bf->stats.reads++;
	else if (io->op == BLKFRONT_WRITE)
		bf->stats.writes++;
	else
		bf->stats.flushes++;
	io->done(io, io->status);
}

/* push - publish the requests put so far; notify the backend if it
 * asks (it does not while it is still working through the ring). */
static void push(struct blkfront *bf)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&bf->ring, notify);
	if (notify)
		evtchn_notify(bf->port);
}

/* kick - move queued requests into free slots, publishing each write
 * chunk as soon as it is copied (the backend works on it while the next
 * is copied), the rest at the end. */
static void kick(struct blkfront *bf)
{
	while (!bf->broken && bf->nfree && !list_empty(&bf->queue)) {
		struct blkfront_io *io =
			list_entry(bf->queue.next, struct blkfront_io, link);
		int rc = io->status ? 0 : issue_chunk(bf, io);

		if (rc == -EAGAIN) {	/* pages come back with responses */
			bf->stats.ring_full++;
			break;
		}
		if (!rc && io->op == BLKFRONT_WRITE)
			push(bf);

		if (rc || io->status) {
			io->status = io->status ? io->status : rc;
			io->all_sent = 1;	/* send no more of it */
		}
		if (io->all_sent) {
			list_del(&io->link);
			if (!io->pending)
				complete(bf, io);
		}
	}
	if (!bf->nfree && !list_empty(&bf->queue))
		bf->stats.ring_full++;
	push(bf);
}

/* rsp_status - a response status as errno; 1 for an unknown one. */
static int rsp_status(int16_t status)
{
	switch (status) {
	case BLKIF_RSP_OKAY:
		return 0;
	case BLKIF_RSP_ERROR:
		return -EIO;
	case BLKIF_RSP_EOPNOTSUPP:
		return -EOPNOTSUPP;
	}
	return 1;
}

/* take_response - check one response (a private copy) and apply it. */
static void take_response(struct blkfront *bf, const struct blkif_response *r)
{
	struct bf_slot *s;
	struct blkfront_io *io;
	int rc;

	if (r->id >= bf->info.ring_slots || !bf->slots[r->id].io) {
		blkfront_broken(bf, "response with a bad id", (unsigned long)r->id);
		return;
	}
	s = &bf->slots[r->id];
	if (r->operation != s->op &&
	    !(s->indirect && r->operation == BLKIF_OP_INDIRECT)) {
		blkfront_broken(bf, "response for another operation", r->operation);
		return;
	}
	rc = rsp_status(r->status);
	if (rc > 0) {
		blkfront_broken(bf, "response with an unknown status",
				(unsigned long)(uint16_t)r->status);
		return;
	}
	io = s->io;
	s->io = NULL;
	bf->free_ids[bf->nfree++] = (uint16_t)r->id;
	if (!rc && s->op == BLKIF_OP_READ)
		copy_in(s, (char *)io->buf + s->io_off, s->bytes);
	pool_give(bf, s);
	if (rc == -EOPNOTSUPP && io->op == BLKFRONT_FLUSH) {
		printk("minnow: blkfront %u: backend refused a flush; flushes now fail\n",
		       bf->id);
		bf->info.flush = BLKFRONT_FLUSH_NONE;
	}
	if (rc && !io->status)
		io->status = rc;
	if (--io->pending == 0 && io->all_sent)
		complete(bf, io);
}

/* drain - take every response the backend has produced. */
static void drain(struct blkfront *bf)
{
	RING_IDX prod = bf->ring.sring->rsp_prod;

	xen_rmb();			/* the index before the responses */
	if (prod - bf->ring.rsp_cons > bf->ring.req_prod_pvt - bf->ring.rsp_cons) {
		blkfront_broken(bf, "impossible response producer index", prod);
		return;
	}
	while (bf->ring.rsp_cons != prod && !bf->broken) {
		struct blkif_response r;

		memcpy(&r, RING_GET_RESPONSE(&bf->ring, bf->ring.rsp_cons),
		       sizeof(r));
		bf->ring.rsp_cons++;
		take_response(bf, &r);
	}
}

/* fail_all - the device is broken: everything in flight or queued
 * completes with -EIO. Slots in flight stay taken (the backend may
 * still write their pages). */
static void fail_all(struct blkfront *bf)
{
	struct list *n;

	for (unsigned int i = 0; i < bf->info.ring_slots; i++) {
		struct blkfront_io *io = bf->slots[i].io;

		if (!io)
			continue;
		bf->slots[i].io = NULL;
		io->status = -EIO;
		if (--io->pending == 0 && io->all_sent)
			complete(bf, io);
	}
	while ((n = list_pop(&bf->queue))) {
		struct blkfront_io *io = list_entry(n, struct blkfront_io, link);

		io->status = io->status ? io->status : -EIO;
		io->all_sent = 1;
		if (!io->pending)
			complete(bf, io);
	}
}

/* in_flight - slots the backend holds. */
static unsigned int in_flight(const struct blkfront *bf)
{
	return bf->info.ring_slots - bf->nfree;
}

/* check_backend - requests stall: is the backend still connected? */
static void check_backend(struct blkfront *bf)
{
	int st = xenbus_backend_state(&bf->dev);

	if (st != XenbusStateConnected)
		blkfront_broken(bf, "backend left the Connected state", (unsigned long)st);
}

/* bf_pump - one pass of the device thread: take responses, post what
 * is queued, and fail everything once the device is broken. */
static void bf_pump(struct blkfront *bf)
{
	if (!bf->broken)
		drain(bf);
	if (!bf->broken)
		kick(bf);
	if (bf->broken)
		fail_all(bf);
}

/* bf_thread - the device thread: responses in, requests out. */
static void *bf_thread(void *arg)
{
	struct blkfront *bf = arg;

	for (;;) {
		int more;

		bf_pump(bf);
		if (bf->stopping)
			break;
		RING_FINAL_CHECK_FOR_RESPONSES(&bf->ring, more);
		if (more && !bf->broken)
			continue;
		if (!bf->broken && in_flight(bf)) {
			if (thread_block(xen_time_ns() + STALL_CHECK_NS) == -ETIMEDOUT)
				check_backend(bf);
		} else {
			thread_block(0);
		}
	}
	return NULL;
}

int blkfront_start(struct blkfront *bf)
{
	char name[24];
	struct thread_attr attr = { .name = name };
	unsigned int n = bf->info.ring_slots;

	bf->slots = calloc(n, sizeof(*bf->slots));
	bf->free_ids = calloc(n, sizeof(*bf->free_ids));
	bf->pool_size = BF_GRANT_BUDGET - n;	/* n indirect pages besides */
	bf->pool = calloc(bf->pool_size, sizeof(*bf->pool));
	bf->pool_free = calloc(bf->pool_size, sizeof(*bf->pool_free));
	if (!bf->slots || !bf->free_ids || !bf->pool || !bf->pool_free)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++)	/* slot 0 on top: LIFO reuse */
		bf->free_ids[bf->nfree++] = (uint16_t)(n - 1 - i);
	for (unsigned int i = 0; i < bf->pool_size; i++)
		bf->pool_free[bf->pool_nfree++] = &bf->pool[bf->pool_size - 1 - i];
	list_init(&bf->queue);
	fmt_snprintf(name, sizeof(name), "blkfront-%u", bf->id);
	return thread_create(&bf->thread, &attr, bf_thread, bf);
}

void blkfront_stop(struct blkfront *bf)
{
	bf->stopping = 1;
	bf->broken = 1;
	if (bf->thread) {
		thread_wake(bf->thread);
		thread_join(bf->thread, NULL);
		bf->thread = NULL;
	}
}

int blkfront_submit(struct blkfront *bf, struct blkfront_io *io)
{
	int rc;

	if (!io->done)
		return -EINVAL;
	rc = blkfront_check(&bf->info, io->op, io->offset,
			    (uintptr_t)io->buf, io->len);
	if (rc)
		return rc;
	if (bf->gone)
		return -ENODEV;
	if (bf->broken || bf->stopping)
		return -EIO;
	io->issued = 0;
	io->pending = 0;
	io->all_sent = 0;
	io->status = 0;
	if (io->op == BLKFRONT_FLUSH)
		io->len = 0;
	list_add_tail(&bf->queue, &io->link);
	thread_wake(bf->thread);
	return 0;
}

struct waiter {
	struct thread *thread;
	volatile int done;
	int status;
};

/* sync_done - a synchronous request completed: wake its caller. */
static void sync_done(struct blkfront_io *io, int status)
{
	struct waiter *w = io->arg;

	w->status = status;
	w->done = 1;
	thread_wake(w->thread);
}

/* sync_io - submit and wait for the completion. */
static int sync_io(struct blkfront *bf, int op, uint64_t offset, void *buf,
		   size_t len)
{
	struct waiter w = { .thread = thread_self() };
	struct blkfront_io io = {
		.op = op, .offset = offset, .buf = buf, .len = len,
		.done = sync_done, .arg = &w,
	};
	int rc = blkfront_submit(bf, &io);

	if (rc)
		return rc;
	while (!w.done)
		thread_block(0);
	return w.status;
}

int blkfront_read(struct blkfront *bf, uint64_t offset, void *buf, size_t len)
{
	return sync_io(bf, BLKFRONT_READ, offset, buf, len);
}

int blkfront_write(struct blkfront *bf, uint64_t offset, const void *buf,
		   size_t len)
{
	return sync_io(bf, BLKFRONT_WRITE, offset, (void *)buf, len);
}

int blkfront_flush(struct blkfront *bf)
{
	return sync_io(bf, BLKFRONT_FLUSH, 0, NULL, 0);
}

void blkfront_get_info(const struct blkfront *bf, struct blkfront_info *info)
{
	*info = bf->info;
}

void blkfront_stats_get(const struct blkfront *bf, struct blkfront_stats *s)
{
	*s = bf->stats;
}
