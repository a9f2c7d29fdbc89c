/*
 * kvlog.c - kvstore's log on a raw disk (see kvlog.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/xen.h>
#include "kvlog.h"

/* fresh_nonce - a nonce unlike prev: a 64-bit mix of the clocks. */
static uint64_t fresh_nonce(uint64_t prev)
{
	uint64_t x = prev ^ xen_wallclock_ns() ^ (xen_time_ns() << 21) ^
		     xen_cpu_time_ns();

	for (;;) {
		x += 0x9e3779b97f4a7c15ull;
		uint64_t z = x;

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		z ^= z >> 31;
		if (z && z != prev)
			return z;
	}
}

uint64_t kvlog_region_end(const struct kvlog *lg)
{
	return lg->sb.region_off[lg->sb.active] + lg->sb.region_size;
}

/* io_failed - note an I/O error: the log is broken from now on. */
static int io_failed(struct kvlog *lg, const char *what, int rc)
{
	printf("kvstore: %s failed (%s): no more writes\n", what, strerror(-rc));
	lg->broken = 1;
	return rc;
}

/* write_flush - write len bytes at off, then flush. 0 or the error
 * (and broken). */
static int write_flush(struct kvlog *lg, uint64_t off, const void *buf,
		       size_t len)
{
	int rc = blkfront_write(lg->bf, off, buf, len);

	if (rc)
		return io_failed(lg, "disk write", rc);
	if (lg->flush) {
		rc = blkfront_flush(lg->bf);
		if (rc)
			return io_failed(lg, "disk flush", rc);
		lg->flushes++;
	}
	lg->bytes_written += len;
	return 0;
}

/* write_sb - superblock sb into its slot (gen % 2), durably. */
static int write_sb(struct kvlog *lg, const struct kvrec_sb *sb)
{
	memset(lg->buf, 0, sb->align);
	kvrec_sb_encode(sb, lg->buf);
	return write_flush(lg, (sb->gen % 2) * KVREC_SB_SLOT, lg->buf, sb->align);
}

/*
 * load_sb - the superblock to use: the newer valid slot, or a fresh
 * one written to a blank disk. 0, -EILSEQ (damaged or foreign), -EINVAL
 * (unusable geometry), or an I/O error.
 */
static int load_sb(struct kvlog *lg, uint32_t align, struct kvlog_boot *boot)
{
	struct kvrec_sb s[2];
	int rc[2], pick;

	rc[0] = blkfront_read(lg->bf, 0, lg->buf, 2 * KVREC_SB_SLOT);
	if (rc[0])
		return rc[0];
	for (int i = 0; i < 2; i++)
		rc[i] = kvrec_sb_decode(lg->buf + i * KVREC_SB_SLOT,
					KVREC_SB_SLOT, lg->disk_bytes, &s[i]);
	pick = kvrec_sb_pick(rc[0], &s[0], rc[1], &s[1]);
	if (pick >= 0) {
		lg->sb = s[pick];
		boot->sb_slot_bad = rc[!pick] == -EILSEQ;
		return lg->sb.align == align ? 0 : -EILSEQ;
	}
	if (rc[0] != -ENOENT || rc[1] != -ENOENT)
		return -EILSEQ;
	if (kvrec_sb_layout(lg->disk_bytes, align, KVLOG_MIN_REGION,
			    fresh_nonce(0), &lg->sb))
		return -EINVAL;
	boot->formatted = 1;
	return write_sb(lg, &lg->sb);
}

/* The scan's context: the log to read, the caller's apply to feed. */
struct replay {
	struct kvlog *lg;
	void (*apply)(void *ctx, const struct kvrec *r, uint64_t off,
		      size_t size);
	void *ctx;
};

/* scan_read - kvscan's read callback over the disk. */
static int scan_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct replay *rp = ctx;

	return blkfront_read(rp->lg->bf, off, buf, len);
}

/* scan_apply - kvscan's apply callback: the caller's. */
static void scan_apply(void *ctx, const struct kvrec *r, uint64_t off,
		       size_t size)
{
	struct replay *rp = ctx;

	rp->apply(rp->ctx, r, off, size);
}

/* zero_window - zero KVLOG_BATCH_MAX bytes from the tail (or up to the
 * region's end), durably: no leftover of an interrupted batch stays. */
static int zero_window(struct kvlog *lg)
{
	uint64_t n = kvlog_region_end(lg) - lg->tail;

	if (n > KVLOG_BATCH_MAX)
		n = KVLOG_BATCH_MAX;
	if (!n)
		return 0;
	memset(lg->buf, 0, (size_t)n);
	return write_flush(lg, lg->tail, lg->buf, (size_t)n);
}

/* replay_log - scan the active region; set tail and next_seq. */
static int replay_log(struct kvlog *lg, struct replay *rp, int salvage,
		      struct kvlog_boot *boot)
{
	struct kvscan_params p = {
		.read = scan_read, .apply = scan_apply, .ctx = rp,
		.region_off = lg->sb.region_off[lg->sb.active],
		.region_size = lg->sb.region_size, .align = lg->sb.align,
		.nonce = lg->sb.nonce, .first_seq = lg->sb.first_seq,
		.window = KVLOG_BATCH_MAX, .lookahead = 1,
		.buf = lg->buf, .buf_len = KVLOG_BATCH_MAX,
	};
	int rc;

	rp->lg = lg;
	rc = kvscan_run(&p, &boot->scan);
	if (rc)
		return rc;
	lg->tail = boot->scan.end;
	lg->next_seq = boot->scan.next_seq;
	if (boot->scan.later_records) {
		if (!salvage)
			return -EBADMSG;
		lg->damaged = 1;
	}
	return zero_window(lg);
}

int kvlog_open(struct kvlog *lg, struct blkfront *bf,
	       void (*apply)(void *ctx, const struct kvrec *r, uint64_t off,
			     size_t size),
	       void *ctx, int salvage, struct kvlog_boot *boot)
{
	struct blkfront_info info;
	struct replay rp = { .apply = apply, .ctx = ctx };
	int rc;

	memset(lg, 0, sizeof(*lg));
	memset(boot, 0, sizeof(*boot));
	blkfront_get_info(bf, &info);
	if (info.readonly || info.sector_size > 4096)
		return -EINVAL;
	lg->bf = bf;
	lg->disk_bytes = info.sectors * 512;
	lg->flush = info.flush != BLKFRONT_FLUSH_NONE;
	lg->buf = malloc(KVLOG_BATCH_MAX);
	if (!lg->buf)
		return -ENOMEM;
	rc = load_sb(lg, info.sector_size, boot);
	if (!rc)
		rc = replay_log(lg, &rp, salvage, boot);
	return rc;
}

int kvlog_append(struct kvlog *lg, const void *buf, size_t len,
		 unsigned long nrec)
{
	int rc;

	if (lg->broken)
		return -EIO;
	if (lg->damaged)
		return -EBADMSG;
	if (len > kvlog_region_end(lg) - lg->tail)
		return -ENOSPC;
	rc = write_flush(lg, lg->tail, buf, len);
	if (rc)
		return rc;
	lg->tail += len;
	lg->next_seq += nrec;
	lg->batches++;
	lg->records += nrec;
	return 0;
}

/* Where compaction is writing. */
struct copy {
	uint64_t start, off, end;	/* region, next write, region end */
	size_t fill;			/* bytes waiting in lg->buf */
};

/* copy_drain - write what waits in the buffer (no flush yet). */
static int copy_drain(struct kvlog *lg, struct copy *c)
{
	int rc;

	if (!c->fill)
		return 0;
	if (c->fill > c->end - c->off)
		return -ENOSPC;
	rc = blkfront_write(lg->bf, c->off, lg->buf, c->fill);
	if (rc)
		return io_failed(lg, "disk write", rc);
	lg->bytes_written += c->fill;
	c->off += c->fill;
	c->fill = 0;
	return 0;
}

/* copy_records - every record next() gives into the other region;
 * the number copied in *n. */
static int copy_records(struct kvlog *lg, struct copy *c, uint64_t nonce,
			int (*next)(void *ctx, struct kvrec *r), void *ctx,
			uint64_t *n)
{
	uint32_t align = lg->sb.align;
	struct kvrec r;
	int rc;

	while (next(ctx, &r)) {
		size_t size = kvrec_size(r.klen, r.vlen, align);

		if (c->fill + size > KVLOG_BATCH_MAX) {
			rc = copy_drain(lg, c);
			if (rc)
				return rc;
		}
		r.seq = lg->next_seq + *n;
		r.nonce = nonce;
		if (!kvrec_encode(&r, align, lg->buf + c->fill,
				  KVLOG_BATCH_MAX - c->fill))
			return -EINVAL;
		c->fill += size;
		(*n)++;
	}
	return copy_drain(lg, c);
}

int kvlog_compact(struct kvlog *lg, int (*next)(void *ctx, struct kvrec *r),
		  void *ctx)
{
	struct kvrec_sb sb = lg->sb;
	struct copy c;
	uint64_t n = 0;
	int rc;

	if (lg->broken)
		return -EIO;
	sb.active = !lg->sb.active;
	sb.gen++;
	sb.nonce = fresh_nonce(lg->sb.nonce);
	sb.first_seq = lg->next_seq;
	c.start = c.off = sb.region_off[sb.active];
	c.end = c.start + sb.region_size;
	c.fill = 0;
	rc = copy_records(lg, &c, sb.nonce, next, ctx, &n);
	if (rc)
		return rc;
	if (lg->flush) {
		rc = blkfront_flush(lg->bf);
		if (rc)
			return io_failed(lg, "disk flush", rc);
		lg->flushes++;
	}
	rc = write_sb(lg, &sb);
	if (rc)
		return rc;
	lg->sb = sb;
	lg->tail = c.off;
	lg->next_seq += n;
	lg->damaged = 0;
	lg->compactions++;
	return 0;
}
