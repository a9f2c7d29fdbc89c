/*
 * test_blkfront.c - blkfront's pure request logic (what may be sent,
 * how a large request is cut into ring requests and segments, which
 * geometry is believable) and its data path against a fake backend
 * that answers on the shared ring: good responses, errors, and hostile
 * ones (bad or replayed ids, wrong operations, unknown statuses,
 * impossible producer indices). Every request must complete exactly
 * once, with the right status, and nothing may be read or written out
 * of bounds (ASan watches).
 *
 * blkfront.c is included whole so its static functions can be driven
 * one step at a time; the kernel services it calls are faked below.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/mm.h>
#include <minnow/xen.h>
#include "blkfront/blkfront.h"
#include "unit.h"

/* --- fakes for what blkfront.c uses ------------------------------------ */

struct thread { int dummy; };
static struct thread fake_thread;
struct thread *sched_current = &fake_thread;
static int notifies, console_msgs, backend_state = XenbusStateConnected;
static int pages_out;

int printk(const char *fmt, ...)
{
	(void)fmt;
	console_msgs++;
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
int evtchn_notify(evtchn_port_t p) { (void)p; notifies++; return 0; }
uint64_t xen_time_ns(void) { return 0; }
int xenbus_backend_state(struct xenbus_dev *d) { (void)d; return backend_state; }
void *page_alloc(unsigned int order, int zero)
{
	void *p;

	(void)order;
	if (posix_memalign(&p, 4096, 4096))
		return NULL;
	if (zero)
		memset(p, 0, 4096);
	pages_out++;
	return p;
}
void page_free(void *p, unsigned int order)
{
	(void)order;
	pages_out--;
	free(p);
}
/* Grants: "mfns" are the page addresses; a ref indexes a table of the
 * pages granted, so the fake backend can find the page a segment names. */
static void *granted[8192];
static unsigned int ngranted;

uint64_t virt_to_mfn(const void *p) { return (uintptr_t)p; }
int gnttab_grant_access(uint16_t d, uint64_t mfn, int ro, gnttab_ref_t *ref)
{
	(void)d; (void)ro;
	if (ngranted == 8192)
		return -ENOSPC;
	granted[ngranted] = (void *)(uintptr_t)mfn;
	*ref = ngranted++;
	return 0;
}
int gnttab_end_access(gnttab_ref_t ref) { (void)ref; return 0; }
int gnttab_release(gnttab_ref_t ref) { (void)ref; return 0; }

#include "blkfront/blkfront.c"

/* --- pure logic --------------------------------------------------------- */

static struct blkfront_info disk(void)
{
	struct blkfront_info i = {
		.sectors = 2048, .sector_size = 512, .flush = BLKFRONT_FLUSH_CACHE,
	};
	return i;
}

static void check_valid(void)
{
	struct blkfront_info i = disk();

	EXPECT(blkfront_check(&i, BLKFRONT_READ, 0, 4096, 512) == 0, "one sector");
	EXPECT(blkfront_check(&i, BLKFRONT_WRITE, 2047 * 512, 512, 512) == 0,
	       "the last sector");
	EXPECT(blkfront_check(&i, BLKFRONT_READ, 0, 4096, 2048 * 512) == 0,
	       "the whole disk");
	EXPECT(blkfront_check(&i, BLKFRONT_FLUSH, 0, 0, 0) == 0, "flush");
}

static void check_einval(void)
{
	struct blkfront_info i = disk();

	EXPECT(blkfront_check(&i, BLKFRONT_READ, 1, 4096, 512) == -EINVAL,
	       "misaligned offset");
	EXPECT(blkfront_check(&i, BLKFRONT_READ, 0, 4096, 100) == -EINVAL,
	       "misaligned length");
	EXPECT(blkfront_check(&i, BLKFRONT_READ, 0, 4097, 512) == -EINVAL,
	       "misaligned buffer");
	EXPECT(blkfront_check(&i, BLKFRONT_READ, 0, 4096, 0) == -EINVAL,
	       "zero length");
	EXPECT(blkfront_check(&i, BLKFRONT_READ, 2048 * 512, 4096, 512) == -EINVAL,
	       "past the end");
	EXPECT(blkfront_check(&i, BLKFRONT_READ, 2047 * 512, 4096, 1024) == -EINVAL,
	       "straddling the end");
	EXPECT(blkfront_check(&i, BLKFRONT_READ, ~0ULL - 511, 4096, 1024) == -EINVAL,
	       "offset + len overflows");
	EXPECT(blkfront_check(&i, 7, 0, 4096, 512) == -EINVAL, "unknown op");
	i.sector_size = 4096;
	EXPECT(blkfront_check(&i, BLKFRONT_READ, 512, 4096, 4096) == -EINVAL,
	       "offset not a 4K sector");
	EXPECT(blkfront_check(&i, BLKFRONT_READ, 0, 4096 + 512, 4096) == -EINVAL,
	       "buffer not 4K aligned");
}

static void check_erofs_eopnotsupp(void)
{
	struct blkfront_info i = disk();

	i.flush = BLKFRONT_FLUSH_NONE;
	EXPECT(blkfront_check(&i, BLKFRONT_FLUSH, 0, 0, 0) == -EOPNOTSUPP,
	       "flush without a way to flush");
	i.readonly = 1;
	EXPECT(blkfront_check(&i, BLKFRONT_WRITE, 0, 4096, 512) == -EROFS,
	       "write to a read-only disk");
	EXPECT(blkfront_check(&i, BLKFRONT_FLUSH, 0, 0, 0) == -EROFS,
	       "flush of a read-only disk");
	EXPECT(blkfront_check(&i, BLKFRONT_READ, 0, 4096, 512) == 0,
	       "read of a read-only disk");
}

static void split_chunks(void)
{
	EXPECT(blkfront_chunk(100 * 1024, 0, 11) == 45056, "first chunk");
	EXPECT(blkfront_chunk(100 * 1024, 90112, 11) == 12288, "last chunk");
	EXPECT(blkfront_chunk(100 * 1024, 100 * 1024, 11) == 0, "nothing left");
	EXPECT(blkfront_chunk(512, 0, 11) == 512, "one sector");
	EXPECT(blkfront_chunk(1 << 20, 0, 32) == 131072, "indirect chunk");
}

static void split_segments(void)
{
	gnttab_ref_t refs[32];
	struct blkif_request_segment s[32];

	for (int i = 0; i < 32; i++)
		refs[i] = 100 + i;
	EXPECT(blkfront_fill_segs(45056, refs, 11, s) == 11, "11 full pages");
	EXPECT(s[10].gref == 110 && s[10].first_sect == 0 && s[10].last_sect == 7,
	       "last page whole: %u %u..%u", s[10].gref, s[10].first_sect,
	       s[10].last_sect);
	EXPECT(blkfront_fill_segs(4096 + 1024, refs, 11, s) == 2, "a page and a bit");
	EXPECT(s[1].last_sect == 1, "two sectors in the second page: %u",
	       s[1].last_sect);
	EXPECT(blkfront_fill_segs(512, refs, 11, s) == 1 && s[0].last_sect == 0,
	       "one sector");
	EXPECT(blkfront_fill_segs(45056 + 512, refs, 11, s) == 0, "too big");
	EXPECT(blkfront_fill_segs(100, refs, 11, s) == 0, "not sectors");
	EXPECT(blkfront_fill_segs(0, refs, 11, s) == 0, "empty");
}

static void geometry(void)
{
	struct blkfront_info i = disk();

	EXPECT(!blkfront_geometry_bad(&i), "a plain disk");
	EXPECT(i.physical_sector_size == 512, "physical defaults to logical");
	i.sector_size = 1000;
	EXPECT(blkfront_geometry_bad(&i), "sector size 1000");
	i.sector_size = 8192;
	EXPECT(blkfront_geometry_bad(&i), "sector size 8192");
	i.sector_size = 0;
	EXPECT(blkfront_geometry_bad(&i), "sector size 0");
	i = disk();
	i.sector_size = 4096;
	i.sectors = 7;
	EXPECT(blkfront_geometry_bad(&i), "size not whole 4K sectors");
	i = disk();
	i.sectors = ~0ULL;
	EXPECT(blkfront_geometry_bad(&i), "absurd size");
	i = disk();
	i.physical_sector_size = 256;
	EXPECT(blkfront_geometry_bad(&i), "physical below logical");
	i.physical_sector_size = 4096;
	EXPECT(!blkfront_geometry_bad(&i), "512e disk");
}

/* --- a device wired to the fake backend -------------------------------- */

static struct blkfront *bf;
static int completions;

struct rec {
	int calls, status;
};

static void on_done(struct blkfront_io *io, int status)
{
	struct rec *r = io->arg;

	r->calls++;
	r->status = status;
	completions++;
}

static void setup(unsigned int max_segs)
{
	bf = calloc(1, sizeof(*bf));
	bf->id = 51712;
	bf->info = disk();
	bf->info.sectors = 65536;		/* 32 MiB */
	bf->info.max_segments = max_segs;
	bf->ring_mem = page_alloc(0, 1);
	SHARED_RING_INIT((struct blkif_sring *)bf->ring_mem);
	FRONT_RING_INIT(&bf->ring, (struct blkif_sring *)bf->ring_mem, 4096);
	bf->info.ring_slots = RING_SIZE(&bf->ring);
	blkfront_start(bf);
	completions = console_msgs = notifies = 0;
}

static void teardown(void)
{
	unsigned long leaked = 0;

	blkfront_free_slots(bf, &leaked);
	page_free(bf->ring_mem, 0);
	free(bf->slots);
	free(bf->free_ids);
	free(bf->pool);
	free(bf->pool_free);
	free(bf);
	EXPECT(pages_out == 0, "%d pages not freed", pages_out);
}

/* pump - what the device thread does once. */
static void pump(void)
{
	bf_pump(bf);
}

/* be_cons - the backend's request consumer. */
static RING_IDX be_cons;

/* be_take - the backend reads the next request (a copy). */
static blkif_request_t be_take(void)
{
	blkif_request_t r;

	memcpy(&r, &bf->ring.sring->ring[be_cons++ % bf->info.ring_slots].req,
	       sizeof(r));
	return r;
}

/* be_respond - the backend answers request id. */
static void be_respond(uint64_t id, uint8_t op, int16_t status)
{
	struct blkif_sring *s = bf->ring.sring;
	struct blkif_response *r = &s->ring[s->rsp_prod % bf->info.ring_slots].rsp;

	r->id = id;
	r->operation = op;
	r->status = status;
	s->rsp_prod++;
}

/* seg_page - the page a segment's grant names (see the fake grants). */
static unsigned char *seg_page(gnttab_ref_t ref)
{
	return ref < ngranted ? granted[ref] : NULL;
}

static void *abuf(size_t len)
{
	void *p;

	if (posix_memalign(&p, 4096, len))
		abort();
	return p;
}

/* A 100 KiB read: three ring requests (11, 11 and 3 pages), the data
 * the backend puts in the pages lands in the caller's buffer. */
static void dp_split_read(void)
{
	size_t len = 100 * 1024;
	unsigned char *buf = abuf(len);
	struct rec rec = { 0, 1 };
	struct blkfront_io io = { .op = BLKFRONT_READ, .offset = 8192,
				  .buf = buf, .len = len, .done = on_done,
				  .arg = &rec };
	uint64_t ids[3];

	setup(11);
	be_cons = 0;
	EXPECT(blkfront_submit(bf, &io) == 0, "submit");
	pump();
	EXPECT(bf->ring.sring->req_prod == 3, "3 requests, got %u",
	       bf->ring.sring->req_prod);
	EXPECT(notifies == 1, "one notify, got %d", notifies);
	for (int i = 0; i < 3; i++) {
		blkif_request_t r = be_take();
		unsigned int nseg = i < 2 ? 11 : 3;

		EXPECT(r.operation == BLKIF_OP_READ, "read");
		EXPECT(r.nr_segments == nseg, "request %d: %u segments", i,
		       r.nr_segments);
		EXPECT(r.sector_number == 16 + (uint64_t)i * 88, "request %d at %llu",
		       i, (unsigned long long)r.sector_number);
		for (unsigned int s = 0; s < nseg; s++)
			memset(seg_page(r.seg[s].gref), i * 16 + s, 4096);
		ids[i] = r.id;
	}
	for (int i = 2; i >= 0; i--)		/* out of order */
		be_respond(ids[i], BLKIF_OP_READ, BLKIF_RSP_OKAY);
	pump();
	EXPECT(rec.calls == 1 && rec.status == 0, "one completion, ok: %d %d",
	       rec.calls, rec.status);
	EXPECT(buf[0] == 0 && buf[45056] == 16 && buf[90112 + 4096] == 33 &&
	       buf[len - 1] == 34, "data in place");
	EXPECT(bf->nfree == bf->info.ring_slots, "all slots free again");
	free(buf);
	teardown();
}

/* A write's data reaches the pages before the request is pushed. */
static void dp_write_copies(void)
{
	unsigned char *buf = abuf(8192);
	struct rec rec = { 0, 1 };
	struct blkfront_io io = { .op = BLKFRONT_WRITE, .offset = 0,
				  .buf = buf, .len = 8192, .done = on_done,
				  .arg = &rec };
	blkif_request_t r;

	setup(11);
	be_cons = 0;
	for (int i = 0; i < 8192; i++)
		buf[i] = (unsigned char)(i * 7);
	blkfront_submit(bf, &io);
	pump();
	r = be_take();
	EXPECT(r.operation == BLKIF_OP_WRITE && r.nr_segments == 2, "write of 2");
	EXPECT(!memcmp(seg_page(r.seg[1].gref), buf + 4096, 4096), "page 2 copied");
	be_respond(r.id, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
	pump();
	EXPECT(rec.calls == 1 && rec.status == 0, "done");
	free(buf);
	teardown();
}

/* 40 reads at once: 32 fill the ring, 8 wait, all complete. */
static void dp_many_in_flight(void)
{
	static unsigned char buf[40][512] __attribute__((aligned(512)));
	struct blkfront_io io[40];
	struct rec rec[40];
	int round = 0;

	setup(11);
	be_cons = 0;
	for (int i = 0; i < 40; i++) {
		rec[i] = (struct rec){ 0, 1 };
		io[i] = (struct blkfront_io){ .op = BLKFRONT_READ,
			.offset = (uint64_t)i * 512, .buf = buf[i], .len = 512,
			.done = on_done, .arg = &rec[i] };
		EXPECT(blkfront_submit(bf, &io[i]) == 0, "submit %d", i);
	}
	pump();
	EXPECT(bf->ring.sring->req_prod == 32, "ring full: %u",
	       bf->ring.sring->req_prod);
	while (be_cons != bf->ring.sring->req_prod && round++ < 10) {
		while (be_cons != bf->ring.sring->req_prod) {
			blkif_request_t r = be_take();

			memset(seg_page(r.seg[0].gref), (int)(r.sector_number + 1), 512);
			be_respond(r.id, BLKIF_OP_READ, BLKIF_RSP_OKAY);
		}
		pump();
	}
	EXPECT(completions == 40, "40 completions, got %d", completions);
	for (int i = 0; i < 40; i++)
		EXPECT(rec[i].calls == 1 && rec[i].status == 0 &&
		       buf[i][511] == i + 1, "read %d: %d calls, status %d, %u",
		       i, rec[i].calls, rec[i].status, buf[i][511]);
	teardown();
}

/* Backend errors reach the caller; the device goes on. */
static void dp_error_statuses(void)
{
	static unsigned char buf[4096] __attribute__((aligned(4096)));
	struct rec a = { 0, 1 }, f = { 0, 1 };
	struct blkfront_io io = { .op = BLKFRONT_READ, .buf = buf, .len = 4096,
				  .done = on_done, .arg = &a };
	struct blkfront_io fl = { .op = BLKFRONT_FLUSH, .done = on_done, .arg = &f };
	blkif_request_t r;

	setup(11);
	be_cons = 0;
	blkfront_submit(bf, &io);
	blkfront_submit(bf, &fl);
	pump();
	r = be_take();
	be_respond(r.id, BLKIF_OP_READ, BLKIF_RSP_ERROR);
	r = be_take();
	EXPECT(r.operation == BLKIF_OP_FLUSH_DISKCACHE && r.nr_segments == 0,
	       "flush request: op %u, %u segments", r.operation, r.nr_segments);
	be_respond(r.id, BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_EOPNOTSUPP);
	pump();
	EXPECT(a.calls == 1 && a.status == -EIO, "read: -EIO, got %d", a.status);
	EXPECT(f.calls == 1 && f.status == -EOPNOTSUPP, "flush: -EOPNOTSUPP, got %d",
	       f.status);
	EXPECT(!bf->broken, "not broken");
	EXPECT(blkfront_submit(bf, &fl) == -EOPNOTSUPP, "later flushes refused");
	teardown();
}

/* An error in the middle chunk of a split request: one completion,
 * after every chunk came back. */
static void dp_error_mid_split(void)
{
	unsigned char *buf = abuf(100 * 1024);
	struct rec rec = { 0, 1 };
	struct blkfront_io io = { .op = BLKFRONT_READ, .buf = buf,
				  .len = 100 * 1024, .done = on_done, .arg = &rec };
	blkif_request_t r[3];

	setup(11);
	be_cons = 0;
	blkfront_submit(bf, &io);
	pump();
	for (int i = 0; i < 3; i++)
		r[i] = be_take();
	be_respond(r[1].id, BLKIF_OP_READ, BLKIF_RSP_ERROR);
	pump();
	EXPECT(rec.calls == 0, "not before the others");
	be_respond(r[0].id, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	be_respond(r[2].id, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	pump();
	EXPECT(rec.calls == 1 && rec.status == -EIO, "one -EIO: %d %d",
	       rec.calls, rec.status);
	free(buf);
	teardown();
}

/* hostile - submit two reads, let the backend send response bad(),
 * expect the device broken and both reads failed once with -EIO. */
static void hostile(void (*bad)(blkif_request_t *r), const char *what,
		    int a_status)
{
	static unsigned char buf[2][4096] __attribute__((aligned(4096)));
	struct rec a = { 0, 1 }, b = { 0, 1 }, c = { 0, 1 };
	struct blkfront_io io[3] = {
		{ .op = BLKFRONT_READ, .buf = buf[0], .len = 4096, .done = on_done, .arg = &a },
		{ .op = BLKFRONT_READ, .buf = buf[1], .len = 4096, .done = on_done, .arg = &b },
		{ .op = BLKFRONT_READ, .buf = buf[1], .len = 4096, .done = on_done, .arg = &c },
	};
	blkif_request_t r;

	setup(11);
	be_cons = 0;
	blkfront_submit(bf, &io[0]);
	blkfront_submit(bf, &io[1]);
	pump();
	r = be_take();
	be_take();
	bad(&r);
	pump();
	EXPECT(bf->broken, "%s: device broken", what);
	EXPECT(console_msgs == 1, "%s: one console message, got %d", what,
	       console_msgs);
	EXPECT(a.calls == 1 && a.status == a_status && b.calls == 1 &&
	       b.status == -EIO, "%s: both failed once: %d/%d %d/%d", what,
	       a.calls, a.status, b.calls, b.status);
	EXPECT(blkfront_submit(bf, &io[2]) == -EIO && c.calls == 0,
	       "%s: new requests refused", what);
	pump();
	EXPECT(a.calls == 1 && b.calls == 1, "%s: no second completion", what);
	teardown();
}

static void bad_id(blkif_request_t *r) { be_respond(r->id + 1000, BLKIF_OP_READ, 0); }
static void free_id(blkif_request_t *r) { (void)r; be_respond(5, BLKIF_OP_READ, 0); }
static void replayed(blkif_request_t *r)
{
	be_respond(r->id, BLKIF_OP_READ, 0);
	be_respond(r->id, BLKIF_OP_READ, 0);
}
static void wrong_op(blkif_request_t *r) { be_respond(r->id, BLKIF_OP_WRITE, 0); }
static void bad_status(blkif_request_t *r) { be_respond(r->id, BLKIF_OP_READ, 7); }
static void bad_prod(blkif_request_t *r)
{
	(void)r;
	bf->ring.sring->rsp_prod += 1000;
}
static void huge_id(blkif_request_t *r)
{
	(void)r;
	be_respond(~0ULL, BLKIF_OP_READ, 0);
}

static void hostile_bad_id(void) { hostile(bad_id, "bad id", -EIO); }
static void hostile_free_id(void) { hostile(free_id, "id not in flight", -EIO); }
static void hostile_replayed(void) { hostile(replayed, "replayed id", 0); }
static void hostile_wrong_op(void) { hostile(wrong_op, "wrong operation", -EIO); }
static void hostile_bad_status(void) { hostile(bad_status, "unknown status", -EIO); }
static void hostile_bad_prod(void) { hostile(bad_prod, "producer index", -EIO); }
static void hostile_huge_id(void) { hostile(huge_id, "64-bit id", -EIO); }

/* Indirect descriptors: 128 KiB in one ring request. */
static void dp_indirect(void)
{
	unsigned char *buf = abuf(128 * 1024);
	struct rec rec = { 0, 1 };
	struct blkfront_io io = { .op = BLKFRONT_WRITE, .buf = buf,
				  .len = 128 * 1024, .offset = 4096,
				  .done = on_done, .arg = &rec };
	struct blkif_request_indirect ind;
	struct blkif_request_segment *segs;

	setup(32);
	be_cons = 0;
	memset(buf, 0xab, 128 * 1024);
	blkfront_submit(bf, &io);
	pump();
	EXPECT(bf->ring.sring->req_prod == 1, "one request");
	memcpy(&ind, &bf->ring.sring->ring[0].req, sizeof(ind));
	EXPECT(ind.operation == BLKIF_OP_INDIRECT &&
	       ind.indirect_op == BLKIF_OP_WRITE && ind.nr_segments == 32 &&
	       ind.sector_number == 8, "indirect write of 32 at 8: %u %u %u %llu",
	       ind.operation, ind.indirect_op, ind.nr_segments,
	       (unsigned long long)ind.sector_number);
	segs = (void *)seg_page(ind.indirect_grefs[0]);
	EXPECT(segs[31].last_sect == 7 && seg_page(segs[31].gref)[4095] == 0xab,
	       "segment 31 whole and filled");
	be_respond(ind.id, BLKIF_OP_WRITE, 0);
	pump();
	EXPECT(rec.calls == 1 && rec.status == 0, "done: %d %d", rec.calls,
	       rec.status);
	free(buf);
	teardown();
}

/* A detached backend: a stall check finds it gone, requests fail. */
static void dp_backend_gone(void)
{
	static unsigned char buf[4096] __attribute__((aligned(4096)));
	struct rec a = { 0, 1 };
	struct blkfront_io io = { .op = BLKFRONT_READ, .buf = buf, .len = 4096,
				  .done = on_done, .arg = &a };

	setup(11);
	blkfront_submit(bf, &io);
	pump();
	backend_state = XenbusStateClosing;
	check_backend(bf);
	backend_state = XenbusStateConnected;
	pump();
	EXPECT(a.calls == 1 && a.status == -EIO, "-EIO: %d %d", a.calls, a.status);
	teardown();
}

/* be_indirect - the backend reads request i of the ring as indirect:
 * its id, and its segments' pages (nseg of them) into pages. */
static uint64_t be_indirect(unsigned int i, unsigned char **pages,
			    unsigned int nseg)
{
	struct blkif_request_indirect ind;
	struct blkif_request_segment *segs;

	memcpy(&ind, &bf->ring.sring->ring[i % bf->info.ring_slots].req,
	       sizeof(ind));
	segs = (void *)seg_page(ind.indirect_grefs[0]);
	for (unsigned int k = 0; k < nseg; k++)
		pages[k] = seg_page(segs[k].gref);
	EXPECT(ind.nr_segments == nseg, "request %u: %u segments", i,
	       ind.nr_segments);
	return ind.id;
}

/* A 4 MiB read needs 1024 data pages, more than the pool's 992 (1024
 * grants less 32 indirect pages): 31 requests go, the 32nd waits until
 * a response brings pages back and then reuses them (and the slot);
 * no more than the pool is ever granted, and the data lands in order. */
static void dp_pool_short(void)
{
	size_t len = 4u << 20;
	unsigned char *buf = abuf(len), *pages[32], *first[32];
	struct rec rec = { 0, 1 };
	struct blkfront_io io = { .op = BLKFRONT_READ, .buf = buf, .len = len,
				  .done = on_done, .arg = &rec };
	unsigned int granted_before = ngranted;
	uint64_t ids[32];

	setup(32);
	EXPECT(bf->pool_size == 992, "pool of %u pages", bf->pool_size);
	blkfront_submit(bf, &io);
	pump();
	EXPECT(bf->ring.sring->req_prod == 31, "31 requests sent, saw %u",
	       bf->ring.sring->req_prod);
	EXPECT(bf->stats.ring_full >= 1, "the wait counted");
	EXPECT(bf->pool_nfree == 0, "pool used up: %u left", bf->pool_nfree);
	for (unsigned int i = 0; i < 31; i++) {
		ids[i] = be_indirect(i, pages, 32);
		for (unsigned int k = 0; k < 32; k++)
			memset(pages[k], (int)(i * 32 + k) & 0xff, 4096);
		if (i == 0)
			memcpy(first, pages, sizeof(first));
	}
	be_respond(ids[0], BLKIF_OP_INDIRECT, BLKIF_RSP_OKAY);
	pump();
	EXPECT(bf->ring.sring->req_prod == 32, "the 32nd sent after a response");
	ids[31] = be_indirect(31, pages, 32);
	EXPECT(!memcmp(pages, first, sizeof(first)),
	       "it reuses the pages given back, in order");
	for (unsigned int k = 0; k < 32; k++)
		memset(pages[k], (int)(31 * 32 + k) & 0xff, 4096);
	for (unsigned int i = 1; i < 32; i++)
		be_respond(ids[i], BLKIF_OP_INDIRECT, BLKIF_RSP_OKAY);
	pump();
	EXPECT(rec.calls == 1 && rec.status == 0, "one completion, ok: %d %d",
	       rec.calls, rec.status);
	for (size_t pg = 0; pg < len / 4096; pg++)
		if (buf[pg * 4096] != (pg & 0xff) ||
		    buf[pg * 4096 + 4095] != (pg & 0xff)) {
			EXPECT(0, "page %zu of the buffer holds %u", pg,
			       buf[pg * 4096]);
			break;
		}
	EXPECT(ngranted - granted_before == 992 + 31,
	       "%u grants made, expected the pool and 31 indirect pages "
	       "(the 32nd request reuses the first one's slot)",
	       ngranted - granted_before);
	EXPECT(bf->pool_nfree == bf->pool_size && bf->nfree == 32,
	       "everything free again");
	free(buf);
	teardown();
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(check_valid), UNIT(check_einval),
		UNIT(check_erofs_eopnotsupp), UNIT(split_chunks),
		UNIT(split_segments), UNIT(geometry), UNIT(dp_split_read),
		UNIT(dp_write_copies), UNIT(dp_many_in_flight),
		UNIT(dp_error_statuses), UNIT(dp_error_mid_split),
		UNIT(hostile_bad_id), UNIT(hostile_free_id),
		UNIT(hostile_replayed), UNIT(hostile_wrong_op),
		UNIT(hostile_bad_status), UNIT(hostile_bad_prod),
		UNIT(hostile_huge_id), UNIT(dp_indirect), UNIT(dp_backend_gone),
		UNIT(dp_pool_short),
	};

	return RUN_UNITS("blkfront", units);
}
