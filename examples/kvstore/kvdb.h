/*
 * kvdb.h - kvstore's database: the index in memory and the log on the
 * disk, kept equal by one writer thread.
 *
 * Connections read the index directly (kvdb_get...) and hand every
 * change to the writer as a kvdb_op (kvdb_submit), then wait for it
 * (kvdb_wait). The writer takes every op queued at that moment (group
 * commit: one batch from all connections, at most KVLOG_BATCH_MAX
 * bytes), encodes their records, writes and flushes them in one go,
 * and only then applies them to the index, in order, and completes
 * them. So a reply sent after kvdb_wait is durable, and a reader never
 * sees a change the disk does not have.
 *
 * Space: the live records (one per key) must fit in a region less one
 * batch, so a compaction always succeeds; a SET that would pass that
 * fails with -ENOSPC. When a batch does not fit before the region's
 * end, the writer compacts first. KVDB_COMPACT asks for a compaction
 * now.
 */
#ifndef KVDB_H
#define KVDB_H

#include <stddef.h>
#include <stdint.h>
#include <minnow/blkfront.h>
#include <minnow/list.h>
#include <minnow/sched.h>
#include "kvidx.h"

enum { KVDB_SET, KVDB_DEL, KVDB_FLUSH, KVDB_COMPACT };

struct kvdb_op {
	/* Filled by the caller: */
	int type;
	const uint8_t *key;		/* SET, DEL */
	uint32_t klen;
	const uint8_t *value;		/* SET */
	uint32_t vlen;
	/* Results, once done: */
	int status;			/* 0, -ENOSPC, -EIO, -ENOMEM */
	int result;			/* DEL: 1 if the key was there */
	/* The writer's: */
	int done;
	struct thread *waiter;
	struct list link;
};

/*
 * kvdb_start - open the log on bf (kvlog_open, with salvage), replay it
 * into the index, report on the console, start the writer. 0 or the
 * error (reported).
 */
int kvdb_start(struct blkfront *bf, int salvage);

/* kvdb_submit - queue op for the writer (returns at once). */
void kvdb_submit(struct kvdb_op *op);

/* kvdb_wait - block until op is done (submitted by this thread). */
void kvdb_wait(struct kvdb_op *op);

/* kvdb_get - key's entry, or NULL; valid until the caller blocks. */
const struct kvidx_ent *kvdb_get(const void *key, uint32_t klen);

/* kvdb_count - the number of keys. */
size_t kvdb_count(void);

/* kvdb_info - INFO's text (CRLF lines) into buf; its length. */
size_t kvdb_info(char *buf, size_t cap, unsigned long clients);

/* kvdb_report - one console line of counters (at shutdown). */
void kvdb_report(void);

#endif
