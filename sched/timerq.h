/*
 * sched/timerq.h - a min-heap of deadlines for sleeping threads.
 *
 * Pure logic (host-tested). Each entry remembers its heap slot so it can
 * be removed early (a timed wait that was woken before its deadline).
 * Entries with equal deadlines come out in insertion order.
 */
#ifndef MINNOW_SCHED_TIMERQ_H
#define MINNOW_SCHED_TIMERQ_H

#include <stddef.h>
#include <stdint.h>

struct timerq_entry {
	uint64_t deadline;	/* Xen time, ns */
	uint64_t seq;		/* insertion order, breaks ties */
	size_t slot;		/* position in the heap, or TIMERQ_NONE */
};

#define TIMERQ_NONE	((size_t)-1)

struct timerq {
	struct timerq_entry **heap;
	size_t len, cap;
	uint64_t next_seq;
};

/* timerq_init - an empty queue storing up to cap entries in heap[]. */
void timerq_init(struct timerq *q, struct timerq_entry **heap, size_t cap);

/* timerq_entry_init - mark e as not queued. */
void timerq_entry_init(struct timerq_entry *e);

/*
 * timerq_add - queue e (not already queued) for deadline. Returns 0, or
 * -ENOSPC when the queue is full.
 */
int timerq_add(struct timerq *q, struct timerq_entry *e, uint64_t deadline);

/* timerq_del - unqueue e if it is queued. */
void timerq_del(struct timerq *q, struct timerq_entry *e);

/* timerq_peek - the earliest entry, NULL if none. */
struct timerq_entry *timerq_peek(const struct timerq *q);

/* timerq_pop_due - unqueue and return the earliest entry due at now. */
struct timerq_entry *timerq_pop_due(struct timerq *q, uint64_t now);

#endif
