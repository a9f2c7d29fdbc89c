/*
 * blktest - blkfront against the real blkback: the first disk (xvda) is
 * read-write, the second (xvdb) read-only; dom0 filled parts of both
 * with a known pattern and checks what we write after we end.
 *
 *   blktest [sectors=N] [check=START:COUNT] [write=START:COUNT]
 *           [ro-check=START:COUNT]
 *
 * sectors: the size dom0 gave xvda (512-byte sectors); check: where xvda
 * holds dom0's pattern; write: where we write ours (the last sector of
 * the disk gets ours too); ro-check: where xvdb holds dom0's pattern.
 * Every 8-byte word of a pattern is its byte offset on the disk XORed
 * with a seed (dom0's or ours), little-endian.
 *
 * One verdict line per check: "blktest: PASS name (detail)" or
 * "blktest: FAIL name: why", then "blktest: N passed, N failed".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/blkfront.h>
#include <minnow/minnow.h>
#include <minnow/sched.h>

#define DOM0_SEED	0x5eed000000000000ULL
#define GUEST_SEED	0x6e57000000000000ULL
#define SECTOR		512ULL

struct range {
	uint64_t start, count;		/* sectors */
};

static struct range check_r = { 0, 4096 }, write_r = { 8192, 2048 },
		    ro_r = { 0, 8192 };
static uint64_t want_sectors;
static unsigned int ids[8];
static int ndisks;
static struct blkfront *rw;
static int passed, failed;
static char detail[256];

/* pass / fail - one verdict line. */
static void pass(const char *name)
{
	passed++;
	printf("blktest: PASS %s (%s)\n", name, detail);
}

static void fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	failed++;
	printf("blktest: FAIL %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* fill - the pattern of seed for len bytes at disk offset off. */
static void fill(void *buf, uint64_t off, size_t len, uint64_t seed)
{
	uint64_t *w = buf;

	for (size_t i = 0; i < len / 8; i++)
		w[i] = (off + i * 8) ^ seed;
}

/* mismatch - the first byte offset where buf differs from the pattern,
 * or -1. */
static long long mismatch(const void *buf, uint64_t off, size_t len,
			  uint64_t seed)
{
	const uint64_t *w = buf;

	for (size_t i = 0; i < len / 8; i++)
		if (w[i] != ((off + i * 8) ^ seed))
			return (long long)(off + i * 8);
	return -1;
}

/* abuf - a zeroed buffer aligned for any sector size. */
static void *abuf(size_t len)
{
	void *p = aligned_alloc(4096, (len + 4095) & ~4095UL);

	if (p)
		memset(p, 0, len);
	return p;
}

/* read_check - read a range (in pieces of up to 1 MiB) and compare
 * with seed's pattern. 0, or why not in detail. */
static int read_check(struct blkfront *bf, struct range r, uint64_t seed)
{
	size_t piece = 1 << 20;
	char *buf = abuf(piece);
	int rc = 0;

	for (uint64_t s = r.start; !rc && s < r.start + r.count;) {
		uint64_t n = r.start + r.count - s;
		size_t len = n * SECTOR < piece ? n * SECTOR : piece;
		long long bad;

		rc = blkfront_read(bf, s * SECTOR, buf, len);
		if (rc) {
			snprintf(detail, sizeof(detail), "read at sector %llu: %d",
				 (unsigned long long)s, rc);
			break;
		}
		bad = mismatch(buf, s * SECTOR, len, seed);
		if (bad >= 0) {
			snprintf(detail, sizeof(detail), "wrong data at byte %lld", bad);
			rc = -1;
		}
		s += len / SECTOR;
	}
	free(buf);
	return rc;
}

static void t_disks(void)
{
	ndisks = blkfront_list(ids, 8);
	if (ndisks < 2) {
		fail("disks", "expected 2 disks, blkfront_list gave %d", ndisks);
		return;
	}
	snprintf(detail, sizeof(detail), "%d: %u %u", ndisks, ids[0], ids[1]);
	pass("disks");
}

static const char *flush_name(int f)
{
	return f == BLKFRONT_FLUSH_CACHE ? "flush-cache" :
	       f == BLKFRONT_FLUSH_BARRIER ? "barrier" : "no flush";
}

static void t_open(void)
{
	struct blkfront_info in;
	int rc = ndisks > 0 ? blkfront_open(ids[0], &rw) : -ENODEV;

	if (rc) {
		fail("open", "blkfront_open(%u) = %d", ndisks > 0 ? ids[0] : 0, rc);
		return;
	}
	blkfront_get_info(rw, &in);
	snprintf(detail, sizeof(detail),
		 "%u: %llu sectors, sector %u/%u B, %s, %s%s%s, indirect %u, "
		 "%u segs/req, ring %u page(s)/%u slots", in.id,
		 (unsigned long long)in.sectors, in.sector_size,
		 in.physical_sector_size, in.readonly ? "ro" : "rw",
		 flush_name(in.flush), in.persistent ? ", persistent" : "",
		 in.removable ? ", removable" : "", in.max_indirect,
		 in.max_segments, in.ring_pages, in.ring_slots);
	if (in.readonly || (want_sectors && in.sectors != want_sectors)) {
		fail("open", "expected a rw disk of %llu sectors: %s",
		     (unsigned long long)want_sectors, detail);
		return;
	}
	pass("open");
}

static void t_read_pattern(void)
{
	if (!rw || read_check(rw, check_r, DOM0_SEED)) {
		fail("read-pattern", "%s", rw ? detail : "no disk");
		return;
	}
	snprintf(detail, sizeof(detail), "%llu sectors from %llu match dom0's",
		 (unsigned long long)check_r.count, (unsigned long long)check_r.start);
	pass("read-pattern");
}

/* write_range - one write of our pattern over a range. */
static int write_range(struct range r)
{
	size_t len = r.count * SECTOR;
	char *buf = abuf(len);
	int rc;

	if (!buf)
		return -ENOMEM;
	fill(buf, r.start * SECTOR, len, GUEST_SEED);
	rc = blkfront_write(rw, r.start * SECTOR, buf, len);
	free(buf);
	return rc;
}

static void t_write(void)
{
	struct blkfront_info in;
	struct range last;
	int rc;

	if (!rw) {
		fail("write", "no disk");
		return;
	}
	blkfront_get_info(rw, &in);
	last.start = in.sectors - 1;
	last.count = 1;
	rc = write_range(write_r);
	if (!rc)
		rc = write_range(last);
	if (rc) {
		fail("write", "blkfront_write = %d", rc);
		return;
	}
	snprintf(detail, sizeof(detail), "%llu sectors at %llu in one request, "
		 "and the last sector", (unsigned long long)write_r.count,
		 (unsigned long long)write_r.start);
	pass("write");
}

static void t_flush(void)
{
	struct blkfront_info in;
	int rc;

	if (!rw) {
		fail("flush", "no disk");
		return;
	}
	blkfront_get_info(rw, &in);
	rc = blkfront_flush(rw);
	if (in.flush != BLKFRONT_FLUSH_NONE ? rc != 0 : rc != -EOPNOTSUPP) {
		fail("flush", "backend offers %s, blkfront_flush = %d",
		     flush_name(in.flush), rc);
		return;
	}
	snprintf(detail, sizeof(detail), "%s: %d", flush_name(in.flush), rc);
	pass("flush");
}

static void t_readback(void)
{
	if (!rw || read_check(rw, write_r, GUEST_SEED)) {
		fail("readback", "%s", rw ? detail : "no disk");
		return;
	}
	snprintf(detail, sizeof(detail), "%llu sectors", (unsigned long long)write_r.count);
	pass("readback");
}

/* expect_rc - one refused request; 0 or a failure noted in detail. */
static int expect_rc(const char *what, int rc, int want)
{
	if (rc == want)
		return 0;
	snprintf(detail, sizeof(detail), "%s: got %d, expected %d", what, rc, want);
	return -1;
}

static void t_einval(void)
{
	struct blkfront_info in;
	char *buf = abuf(8192);
	uint64_t size;
	int bad = 0;

	if (!rw) {
		fail("einval", "no disk");
		return;
	}
	blkfront_get_info(rw, &in);
	size = in.sectors * SECTOR;
	bad |= expect_rc("past the end", blkfront_read(rw, size, buf, 512), -EINVAL);
	bad |= expect_rc("straddling the end",
			 blkfront_read(rw, size - 512, buf, 1024), -EINVAL);
	bad |= expect_rc("offset 100", blkfront_read(rw, 100, buf, 512), -EINVAL);
	bad |= expect_rc("length 1000", blkfront_read(rw, 0, buf, 1000), -EINVAL);
	bad |= expect_rc("buffer + 1", blkfront_read(rw, 0, buf + 1, 512), -EINVAL);
	bad |= expect_rc("length 0", blkfront_write(rw, 0, buf, 0), -EINVAL);
	bad |= expect_rc("write past the end",
			 blkfront_write(rw, size, buf, 512), -EINVAL);
	free(buf);
	if (bad) {
		fail("einval", "%s", detail);
		return;
	}
	snprintf(detail, sizeof(detail), "7 bad requests refused");
	pass("einval");
}

struct async_read {
	struct blkfront_io io;
	int calls, status;
};

static int async_left;
static struct thread *async_waiter;

static void async_done(struct blkfront_io *io, int status)
{
	struct async_read *a = (struct async_read *)io;

	a->calls++;
	a->status = status;
	if (--async_left == 0)
		thread_wake(async_waiter);
}

/* t_async - 96 reads of 4 KiB at scattered places, all submitted at
 * once (three times the ring), each checked. */
static void t_async(void)
{
	enum { N = 96 };
	static struct async_read a[N];
	char *buf = abuf((size_t)N * 4096);
	uint64_t span = check_r.count / 8;	/* 4 KiB units */
	struct blkfront_stats st;
	int rc = 0;

	if (!rw || !buf || span < 1) {
		fail("async", "no disk or buffer");
		free(buf);
		return;
	}
	async_waiter = thread_self();
	async_left = N;
	for (int i = 0; i < N && !rc; i++) {
		uint64_t at = check_r.start * SECTOR + ((uint64_t)i * 7919 % span) * 4096;

		a[i] = (struct async_read){ .io = { .op = BLKFRONT_READ,
			.offset = at, .buf = buf + (size_t)i * 4096, .len = 4096,
			.done = async_done } };
		rc = blkfront_submit(rw, &a[i].io);
	}
	if (rc) {
		fail("async", "blkfront_submit = %d", rc);	/* leaks waits: stop */
		return;
	}
	while (async_left)
		thread_block(0);
	for (int i = 0; i < N; i++) {
		if (a[i].calls != 1 || a[i].status ||
		    mismatch(a[i].io.buf, a[i].io.offset, 4096, DOM0_SEED) >= 0) {
			fail("async", "read %d: %d completions, status %d, data %s",
			     i, a[i].calls, a[i].status,
			     mismatch(a[i].io.buf, a[i].io.offset, 4096, DOM0_SEED) >= 0 ?
			     "wrong" : "right");
			free(buf);
			return;
		}
	}
	free(buf);
	blkfront_stats_get(rw, &st);
	snprintf(detail, sizeof(detail), "%d reads in flight at once, all right; "
		 "%lu ring requests so far, ring full %lu times", N,
		 st.ring_requests, st.ring_full);
	pass("async");
}

static void t_readonly(void)
{
	struct blkfront *ro;
	struct blkfront_info in;
	char *buf = abuf(4096);
	int rc = ndisks > 1 ? blkfront_open(ids[1], &ro) : -ENODEV, bad = 0;

	if (rc) {
		fail("readonly", "blkfront_open(second disk) = %d", rc);
		free(buf);
		return;
	}
	blkfront_get_info(ro, &in);
	if (!in.readonly) {
		fail("readonly", "disk %u is not read-only", in.id);
		blkfront_close(ro);
		free(buf);
		return;
	}
	bad |= expect_rc("write", blkfront_write(ro, 0, buf, 4096), -EROFS);
	bad |= expect_rc("flush", blkfront_flush(ro), -EROFS);
	if (!bad && read_check(ro, ro_r, DOM0_SEED))
		bad = 1;
	rc = blkfront_close(ro);
	free(buf);
	if (bad || rc) {
		fail("readonly", "%s (close %d)", bad ? detail : "", rc);
		return;
	}
	snprintf(detail, sizeof(detail), "%u: write and flush -EROFS, "
		 "%llu sectors read right, closed", in.id,
		 (unsigned long long)ro_r.count);
	pass("readonly");
}

/* t_reopen - close the rw disk (dom0 lets go), open it again, read. */
static void t_reopen(void)
{
	int rc;

	if (!rw) {
		fail("reopen", "no disk");
		return;
	}
	rc = blkfront_close(rw);
	rw = NULL;
	if (rc) {
		fail("reopen", "blkfront_close = %d", rc);
		return;
	}
	rc = blkfront_open(ids[0], &rw);
	if (rc) {
		fail("reopen", "blkfront_open after close = %d", rc);
		return;
	}
	if (read_check(rw, write_r, GUEST_SEED)) {
		fail("reopen", "%s", detail);
		return;
	}
	rc = blkfront_close(rw);
	rw = NULL;
	if (rc) {
		fail("reopen", "second blkfront_close = %d", rc);
		return;
	}
	snprintf(detail, sizeof(detail), "closed, opened, our data still there, closed");
	pass("reopen");
}

/* parse_range - "START:COUNT" into r; 0 or -1. */
static int parse_range(const char *s, struct range *r)
{
	char *end;

	r->start = strtoull(s, &end, 10);
	if (*end != ':')
		return -1;
	r->count = strtoull(end + 1, &end, 10);
	return *end || !r->count ? -1 : 0;
}

static int parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int bad = 0;

		if (!strncmp(a, "sectors=", 8))
			want_sectors = strtoull(a + 8, NULL, 10);
		else if (!strncmp(a, "check=", 6))
			bad = parse_range(a + 6, &check_r);
		else if (!strncmp(a, "write=", 6))
			bad = parse_range(a + 6, &write_r);
		else if (!strncmp(a, "ro-check=", 9))
			bad = parse_range(a + 9, &ro_r);
		else
			bad = 1;
		if (bad) {
			printf("blktest: bad argument '%s'\n", a);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static void (*const tests[])(void) = {
		t_disks, t_open, t_read_pattern, t_write, t_flush, t_readback,
		t_einval, t_async, t_readonly, t_reopen,
	};

	if (parse_args(argc, argv))
		return 2;
	for (unsigned int i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		detail[0] = 0;
		tests[i]();
	}
	printf("blktest: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
