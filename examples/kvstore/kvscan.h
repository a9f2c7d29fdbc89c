/*
 * kvscan.h - kvstore's recovery scan: replay the active region's log
 * and find where it ends. Pure code over a read callback, so the host
 * unit tests run it over logs in memory.
 *
 * The log is a chain: records from the region's start, each padded to
 * the alignment, carrying the region's nonce and consecutive sequence
 * numbers from first_seq. The scan applies every record of the chain in
 * order and stops at the first place that is not the next record:
 *
 *   KVSCAN_CLEAN  no record starts there (zeros, or a record of an
 *                 earlier use of the region: another nonce)
 *   KVSCAN_TORN   a record starts there but is damaged: bad checksum,
 *                 impossible header, or it runs past the region's end.
 *                 After a crash this is the last, half-written record
 *                 of the batch that was being written: never
 *                 acknowledged, so dropping it loses nothing.
 *   KVSCAN_SEQ    a sound record of this region, but out of sequence
 *   KVSCAN_FULL   the chain fills the region exactly
 *
 * A crash can only damage the last batch, which is at most `window`
 * bytes long, so its leftovers lie within window bytes of the stop.
 * Corruption in the middle of the log (a bad sector, a lost write)
 * stops the chain early just the same; the scan tells the two apart by
 * looking past stop + window (when lookahead is set) for sound records
 * of this region: any found there (later_records) were cut off by
 * damage in the middle, and the caller must not write over them
 * blindly (kvstore refuses to start unless told to salvage).
 */
#ifndef KVSCAN_H
#define KVSCAN_H

#include <stddef.h>
#include <stdint.h>
#include "kvrec.h"

enum { KVSCAN_CLEAN, KVSCAN_TORN, KVSCAN_SEQ, KVSCAN_FULL };

/* read: len bytes at byte offset off into buf; 0 or a negative errno.
 * apply: one record of the chain, in order (its pointers are valid
 * only during the call). */
struct kvscan_params {
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	void (*apply)(void *ctx, const struct kvrec *r, uint64_t off,
		      size_t size);
	void *ctx;
	uint64_t region_off, region_size;	/* multiples of align */
	uint32_t align;
	uint64_t nonce, first_seq;
	uint64_t window;	/* the largest batch ever written at once */
	int lookahead;		/* look past stop + window (reads the rest) */
	void *buf;		/* scratch: at least buf_len bytes */
	size_t buf_len;		/* multiple of align, >= the largest record */
};

struct kvscan_result {
	uint64_t end;		/* byte offset where the next record goes */
	uint64_t records;	/* records applied */
	uint64_t next_seq;	/* seq of the next record */
	int stop;		/* KVSCAN_* */
	int code;		/* KVREC_* code at the stop (KVSCAN_TORN) */
	uint64_t later_records;	/* sound records past stop + window */
	uint64_t later_off;	/* the first of them */
};

/*
 * kvscan_run - scan as above. 0 and *res, -EINVAL for inconsistent
 * params (misaligned region, small buffer), or the read callback's
 * error (nothing after the failed read was applied).
 */
int kvscan_run(const struct kvscan_params *p, struct kvscan_result *res);

/* kvscan_stop_name - "clean", "torn", "out-of-sequence" or "full". */
const char *kvscan_stop_name(int stop);

#endif
