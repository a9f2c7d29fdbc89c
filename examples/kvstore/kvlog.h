/*
 * kvlog.h - kvstore's log on a raw disk (blkfront): the superblock, the
 * recovery at boot, durable appends and compaction.
 *
 * Layout (kvrec.h): two superblock slots, then two equal regions. The
 * active region holds the log, a chain of records (kvscan.h). Appends
 * go at the tail in batches of at most KVLOG_BATCH_MAX bytes, one batch
 * at a time, each written and then flushed before kvlog_append returns:
 * once it returns 0 the batch survives a crash.
 *
 * Recovery (kvlog_open): the newest valid superblock names the region;
 * the scan replays its chain and stops at the first record that is not
 * the next one. A torn record there (the batch a crash interrupted) is
 * dropped; the KVLOG_BATCH_MAX bytes after the tail are then zeroed and
 * flushed, so leftovers of that batch can never be taken for records
 * later. Sound records of the region found beyond that window mean
 * damage in the middle of the log: kvlog_open refuses (-EBADMSG) unless
 * salvage is set, in which case the log is cut at the damage and must be
 * compacted (to a fresh nonce, leaving the unreachable records behind)
 * before anything is appended.
 *
 * Compaction (kvlog_compact) writes the live records, given by the
 * caller, to the other region under a fresh nonce, flushes, then
 * writes the next superblock generation to the other slot and flushes:
 * a crash before that last write completes leaves the old generation
 * (and its region, untouched) in force, so nothing acknowledged is
 * lost; after it, the new one is.
 *
 * Any failed write or flush marks the log broken: later writes fail
 * with -EIO (what is on the disk is then left as it is).
 */
#ifndef KVLOG_H
#define KVLOG_H

#include <stddef.h>
#include <stdint.h>
#include <minnow/blkfront.h>
#include "kvrec.h"
#include "kvscan.h"

#define KVLOG_BATCH_MAX		(1024 * 1024)
#define KVLOG_MIN_REGION	(4 * KVLOG_BATCH_MAX)

struct kvlog {
	struct blkfront *bf;
	struct kvrec_sb sb;
	uint64_t disk_bytes;
	uint64_t tail;			/* where the next record goes */
	uint64_t next_seq;
	int broken;			/* a write or flush failed */
	int damaged;			/* salvaged: compact before appending */
	int flush;			/* the backend offers a flush */
	uint8_t *buf;			/* KVLOG_BATCH_MAX scratch bytes */
	/* counters */
	unsigned long batches, records, flushes, compactions;
	uint64_t bytes_written;
};

/* What kvlog_open found. */
struct kvlog_boot {
	int formatted;			/* the disk was blank: formatted */
	int sb_slot_bad;		/* one superblock slot was torn */
	struct kvscan_result scan;
};

/*
 * kvlog_open - take over disk bf: read the superblock (format a blank
 * disk), replay the log through apply (kvscan.h), make the tail safe to
 * append to. 0 and *boot; -EINVAL (the disk is too small or its sector
 * size unusable), -EILSEQ (no valid superblock, but not blank either:
 * not ours, or both slots damaged), -EBADMSG (damage in the middle,
 * see above), -ENOMEM, or an I/O error.
 */
int kvlog_open(struct kvlog *lg, struct blkfront *bf,
	       void (*apply)(void *ctx, const struct kvrec *r, uint64_t off,
			     size_t size),
	       void *ctx, int salvage, struct kvlog_boot *boot);

/* kvlog_region_end - the byte just past the active region. */
uint64_t kvlog_region_end(const struct kvlog *lg);

/*
 * kvlog_append - write len bytes of encoded records (a multiple of the
 * alignment, at most KVLOG_BATCH_MAX, with seqs from next_seq and the
 * active nonce) at the tail and flush. 0: durable, tail and next_seq
 * moved on by len and nrec; -ENOSPC if they do not fit before the
 * region's end (nothing written); -EIO if broken; -EBADMSG if salvaged
 * and not compacted yet; or the I/O error (then broken).
 */
int kvlog_append(struct kvlog *lg, const void *buf, size_t len,
		 unsigned long nrec);

/*
 * kvlog_compact - rewrite the log as the records next() yields (type,
 * key and value set; seq and nonce are filled in here) into the other
 * region, and switch to it atomically. next returns 1 with *r, or 0 at
 * the end; the data it points to must stay valid until the next call.
 * 0 on success; -ENOSPC if they do not fit (nothing switched); -EIO if
 * broken; or an I/O error (then broken).
 */
int kvlog_compact(struct kvlog *lg, int (*next)(void *ctx, struct kvrec *r),
		  void *ctx);

#endif
