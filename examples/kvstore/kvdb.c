/*
 * kvdb.c - kvstore's database: index, log and the writer thread (see
 * kvdb.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/minnow.h>
#include <minnow/mm.h>
#include <minnow/xen.h>
#include "kvdb.h"
#include "kvlog.h"

static struct kvidx index_;
static struct kvlog log_;
static struct kvlog_boot boot;
static uint8_t *batch_buf;		/* KVLOG_BATCH_MAX bytes */
static struct list queue = LIST_INIT(queue);
static struct waitq writer_wq = WAITQ_INIT(writer_wq);
static uint64_t live_bytes;		/* on-disk size of the live records */
static uint64_t live_cap;		/* live_bytes stays at most this */
static int out_of_memory;
static uint64_t started_ns;		/* Xen time at kvdb_start */
static unsigned long disk_full, set_ops, del_ops, flush_ops, biggest_batch;

/* rec_size - the on-disk size of a record with these lengths. */
static uint64_t rec_size(uint32_t klen, uint32_t vlen)
{
	return kvrec_size(klen, vlen, log_.sb.align);
}

/* apply_set / apply_del / apply_flush - change the index as a durable
 * record says, keeping live_bytes. */
static int apply_set(const uint8_t *k, uint32_t klen, const uint8_t *v,
		     uint32_t vlen)
{
	const struct kvidx_ent *old = kvidx_get(&index_, k, klen);
	uint64_t old_size = old ? rec_size(old->klen, old->vlen) : 0;

	if (kvidx_set(&index_, k, klen, v, vlen))
		return -ENOMEM;
	live_bytes += rec_size(klen, vlen) - old_size;
	return 0;
}

static int apply_del(const uint8_t *k, uint32_t klen)
{
	const struct kvidx_ent *old = kvidx_get(&index_, k, klen);

	if (!old)
		return 0;
	live_bytes -= rec_size(old->klen, old->vlen);
	return kvidx_del(&index_, k, klen);
}

static void apply_flush(void)
{
	kvidx_clear(&index_);
	live_bytes = 0;
}

/* replay_apply - a record found at boot. Memory running out here
 * means the data cannot be served: stop. */
static void replay_apply(void *ctx, const struct kvrec *r, uint64_t off,
			 size_t size)
{
	(void)ctx;
	(void)off;
	(void)size;
	if (r->type == KVREC_SET && apply_set(r->key, r->klen, r->value, r->vlen)) {
		printf("kvstore: out of memory replaying the log\n");
		minnow_exit(1);
	}
	if (r->type == KVREC_DEL)
		apply_del(r->key, r->klen);
	if (r->type == KVREC_FLUSH)
		apply_flush();
}

/* complete - op is done with status. */
static void complete(struct kvdb_op *op, int status)
{
	op->status = status;
	op->done = 1;
	if (op->waiter)
		thread_wake(op->waiter);
}

/* op_size - the size of op's record. */
static uint64_t op_size(const struct kvdb_op *op)
{
	switch (op->type) {
	case KVDB_SET:
		return rec_size(op->klen, op->vlen);
	case KVDB_DEL:
		return rec_size(op->klen, 0);
	default:
		return rec_size(0, 0);
	}
}

/* Compaction's record source: every entry of the index as a SET. */
static int next_live(void *ctx, struct kvrec *r)
{
	const struct kvidx_ent *e = kvidx_next(&index_, ctx);

	if (!e)
		return 0;
	*r = (struct kvrec){ .type = KVREC_SET, .key = kvidx_key(e),
			     .klen = e->klen, .value = kvidx_value(e),
			     .vlen = e->vlen };
	return 1;
}

/* compact - rewrite the live records into the other region. */
static int compact(const char *why)
{
	struct kvidx_iter it = { 0 };
	uint64_t t0 = xen_time_ns();
	int rc = kvlog_compact(&log_, next_live, &it);

	if (rc) {
		printf("kvstore: compaction (%s) failed: %s\n", why, strerror(-rc));
		return rc;
	}
	printf("kvstore: compaction %lu (%s): %zu keys, %" PRIu64 " bytes "
	       "into region %u, generation %" PRIu64 ", %" PRIu64 " ms\n",
	       log_.compactions, why, index_.count, log_.tail -
	       log_.sb.region_off[log_.sb.active], log_.sb.active, log_.sb.gen,
	       (xen_time_ns() - t0) / 1000000);
	return 0;
}

/*
 * take_batch - move ops from the queue into batch while they fit in
 * one; SETs that would overfill the disk are completed with -ENOSPC at
 * once, all ops with -EIO once the log is broken. Stops at a
 * KVDB_COMPACT. The batch's bytes.
 */
static size_t take_batch(struct list *batch)
{
	uint64_t len = 0, reserved = 0;

	while (!list_empty(&queue)) {
		struct kvdb_op *op = list_entry(queue.next, struct kvdb_op, link);
		uint64_t size = op_size(op);

		if (op->type == KVDB_COMPACT || len + size > KVLOG_BATCH_MAX)
			break;
		list_del(&op->link);
		if (log_.broken || out_of_memory) {
			complete(op, -EIO);
		} else if (op->type == KVDB_SET &&
			   live_bytes + reserved + size > live_cap) {
			disk_full++;
			complete(op, -ENOSPC);
		} else {
			list_add_tail(batch, &op->link);
			len += size;
			reserved += op->type == KVDB_SET ? size : 0;
		}
	}
	return (size_t)len;
}

/* encode_batch - the batch's records into batch_buf; their count. */
static unsigned long encode_batch(struct list *batch)
{
	unsigned long n = 0;
	size_t off = 0;

	for (struct list *l = batch->next; l != batch; l = l->next) {
		struct kvdb_op *op = list_entry(l, struct kvdb_op, link);
		struct kvrec r = { .type = op->type == KVDB_SET ? KVREC_SET :
				   op->type == KVDB_DEL ? KVREC_DEL : KVREC_FLUSH,
				   .seq = log_.next_seq + n, .nonce = log_.sb.nonce,
				   .key = op->key, .klen = op->klen,
				   .value = op->value, .vlen = op->vlen };

		off += kvrec_encode(&r, log_.sb.align, batch_buf + off,
				    KVLOG_BATCH_MAX - off);
		n++;
	}
	return n;
}

/* apply_op - a durable op into the index; its status. */
static int apply_op(struct kvdb_op *op)
{
	switch (op->type) {
	case KVDB_SET:
		set_ops++;
		if (apply_set(op->key, op->klen, op->value, op->vlen)) {
			/* The disk has it, memory cannot: stop writing
			 * rather than serve something else. */
			printf("kvstore: out of memory: no more writes\n");
			out_of_memory = 1;
			return -ENOMEM;
		}
		return 0;
	case KVDB_DEL:
		del_ops++;
		op->result = apply_del(op->key, op->klen);
		return 0;
	default:
		flush_ops++;
		apply_flush();
		return 0;
	}
}

/* commit_batch - write, flush, apply and complete the batch of len
 * bytes; compact first when it does not fit in the region. */
static void commit_batch(struct list *batch, size_t len)
{
	unsigned long n;
	struct list *l;
	int rc = 0;

	if (len > kvlog_region_end(&log_) - log_.tail)
		rc = compact("log full");
	if (!rc) {
		n = encode_batch(batch);
		rc = kvlog_append(&log_, batch_buf, len, n);
		if (n > biggest_batch)
			biggest_batch = n;
	}
	while ((l = list_pop(batch))) {
		struct kvdb_op *op = list_entry(l, struct kvdb_op, link);

		complete(op, rc ? rc : apply_op(op));
	}
}

/* writer - the thread that owns every change. */
static void *writer(void *arg)
{
	struct list batch = LIST_INIT(batch);

	(void)arg;
	for (;;) {
		struct kvdb_op *op;
		size_t len;

		while (list_empty(&queue))
			waitq_wait(&writer_wq, 0);
		op = list_entry(queue.next, struct kvdb_op, link);
		if (op->type == KVDB_COMPACT) {
			list_del(&op->link);
			complete(op, log_.broken || out_of_memory ? -EIO
								  : compact("asked"));
			continue;
		}
		len = take_batch(&batch);
		if (len)
			commit_batch(&batch, len);
	}
	return NULL;
}

void kvdb_submit(struct kvdb_op *op)
{
	op->done = 0;
	op->status = 0;
	op->result = 0;
	op->waiter = thread_self();
	list_add_tail(&queue, &op->link);
	waitq_wake_one(&writer_wq);
}

void kvdb_wait(struct kvdb_op *op)
{
	while (!op->done)
		thread_block(0);
}

const struct kvidx_ent *kvdb_get(const void *key, uint32_t klen)
{
	return kvidx_get(&index_, key, klen);
}

size_t kvdb_count(void)
{
	return index_.count;
}

/* code_name - what a scan's damaged record was. */
static const char *code_name(int code)
{
	return code == KVREC_BADCRC ? "checksum" : "header";
}

/* report_boot - what recovery found, on the console. */
static void report_boot(void)
{
	const struct kvscan_result *s = &boot.scan;

	if (boot.formatted)
		printf("kvstore: blank disk: formatted, 2 regions of %" PRIu64
		       " KiB\n", log_.sb.region_size / 1024);
	if (boot.sb_slot_bad)
		printf("kvstore: one superblock slot is torn: using the other\n");
	printf("kvstore: recovered %" PRIu64 " records into %zu keys from "
	       "region %u (generation %" PRIu64 "); log ends at %" PRIu64
	       " (%s)\n", s->records, index_.count, log_.sb.active, log_.sb.gen,
	       s->end, kvscan_stop_name(s->stop));
	if (s->stop == KVSCAN_TORN)
		printf("kvstore: dropped a torn record at %" PRIu64 " (%s)\n",
		       s->end, code_name(s->code));
	if (s->stop == KVSCAN_SEQ)
		printf("kvstore: dropped an out-of-sequence record at %" PRIu64
		       "\n", s->end);
	if (s->later_records)
		printf("kvstore: log damaged at %" PRIu64 ": %" PRIu64 " later "
		       "records (from %" PRIu64 ") are unreachable\n", s->end,
		       s->later_records, s->later_off);
}

int kvdb_start(struct blkfront *bf, int salvage)
{
	struct thread_attr attr = { .name = "kv-writer" };
	int rc;

	started_ns = xen_time_ns();
	batch_buf = malloc(KVLOG_BATCH_MAX);
	if (!batch_buf || kvidx_init(&index_, xen_wallclock_ns() ^ xen_time_ns()))
		return -ENOMEM;
	rc = kvlog_open(&log_, bf, replay_apply, NULL, salvage, &boot);
	if (rc && rc != -EBADMSG) {
		printf("kvstore: cannot open the log: %s\n", strerror(-rc));
		return rc;
	}
	report_boot();
	if (rc) {
		printf("kvstore: refusing to start: boot with 'salvage' to keep "
		       "the records before the damage\n");
		return rc;
	}
	live_cap = log_.sb.region_size - KVLOG_BATCH_MAX;
	if (log_.damaged && (rc = compact("salvage")))
		return rc;
	return thread_create(NULL, &attr, writer, NULL);
}

size_t kvdb_info(char *buf, size_t cap, unsigned long clients)
{
	const struct kvscan_result *s = &boot.scan;
	struct mm_stats m;
	int n;

	mm_stats_get(&m);
	n = snprintf(buf, cap,
		"# Server\r\nkvstore_version:1\r\nuptime_in_seconds:%" PRIu64 "\r\n"
		"# Clients\r\nconnected_clients:%lu\r\n"
		"# Memory\r\nused_memory:%lu\r\n"
		"# Keyspace\r\ndb0:keys=%zu,expires=0,avg_ttl=0\r\n"
		"# Kvstore\r\nkeys:%zu\r\nkey_value_bytes:%" PRIu64 "\r\n"
		"live_log_bytes:%" PRIu64 "\r\nlog_bytes:%" PRIu64 "\r\n"
		"log_region_bytes:%" PRIu64 "\r\nlog_tail:%" PRIu64 "\r\n"
		"log_generation:%" PRIu64 "\r\nlog_region:%u\r\n"
		"compactions:%lu\r\nbatches:%lu\r\nrecords_written:%lu\r\n"
		"biggest_batch:%lu\r\nflushes:%lu\r\nbytes_written:%" PRIu64 "\r\n"
		"sets:%lu\r\ndels:%lu\r\nflushdbs:%lu\r\ndisk_full_errors:%lu\r\n"
		"writes_disabled:%d\r\nrecovered_records:%" PRIu64 "\r\n"
		"recovery_stop:%s\r\n",
		(uint64_t)((xen_time_ns() - started_ns) / 1000000000u), clients,
		m.heap_bytes_in_use, index_.count, index_.count, index_.bytes,
		live_bytes, log_.tail - log_.sb.region_off[log_.sb.active],
		log_.sb.region_size, log_.tail, log_.sb.gen, log_.sb.active,
		log_.compactions, log_.batches, log_.records, biggest_batch,
		log_.flushes, log_.bytes_written, set_ops, del_ops, flush_ops,
		disk_full, log_.broken || out_of_memory, s->records,
		kvscan_stop_name(s->stop));
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

void kvdb_report(void)
{
	printf("kvstore: log: %zu keys, %lu batches, %lu records, %lu "
	       "compactions, %lu disk-full errors, writes %s\n", index_.count,
	       log_.batches, log_.records, log_.compactions, disk_full,
	       log_.broken || out_of_memory ? "disabled" : "enabled");
}
