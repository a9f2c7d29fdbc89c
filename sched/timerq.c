/*
 * sched/timerq.c - binary min-heap keyed by (deadline, seq).
 */
#include <errno.h>
#include "sched/timerq.h"

/* before - does a come out before b? */
static int before(const struct timerq_entry *a, const struct timerq_entry *b)
{
	return a->deadline < b->deadline ||
	       (a->deadline == b->deadline && a->seq < b->seq);
}

/* put - store e at slot i. */
static void put(struct timerq *q, size_t i, struct timerq_entry *e)
{
	q->heap[i] = e;
	e->slot = i;
}

/* sift_up - move the entry at i towards the root while it is earlier. */
static void sift_up(struct timerq *q, size_t i)
{
	struct timerq_entry *e = q->heap[i];

	while (i > 0 && before(e, q->heap[(i - 1) / 2])) {
		put(q, i, q->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	put(q, i, e);
}

/* sift_down - move the entry at i down while a child is earlier. */
static void sift_down(struct timerq *q, size_t i)
{
	struct timerq_entry *e = q->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= q->len)
			break;
		if (c + 1 < q->len && before(q->heap[c + 1], q->heap[c]))
			c++;
		if (!before(q->heap[c], e))
			break;
		put(q, i, q->heap[c]);
		i = c;
	}
	put(q, i, e);
}

void timerq_init(struct timerq *q, struct timerq_entry **heap, size_t cap)
{
	q->heap = heap;
	q->len = 0;
	q->cap = cap;
	q->next_seq = 0;
}

void timerq_entry_init(struct timerq_entry *e)
{
	e->slot = TIMERQ_NONE;
}

int timerq_add(struct timerq *q, struct timerq_entry *e, uint64_t deadline)
{
	if (q->len == q->cap)
		return -ENOSPC;
	e->deadline = deadline;
	e->seq = q->next_seq++;
	put(q, q->len++, e);
	sift_up(q, e->slot);
	return 0;
}

void timerq_del(struct timerq *q, struct timerq_entry *e)
{
	size_t i = e->slot;
	struct timerq_entry *last;

	if (i == TIMERQ_NONE || i >= q->len || q->heap[i] != e)
		return;
	e->slot = TIMERQ_NONE;
	last = q->heap[--q->len];
	if (last == e)
		return;
	put(q, i, last);
	sift_up(q, i);
	sift_down(q, last->slot);
}

struct timerq_entry *timerq_peek(const struct timerq *q)
{
	return q->len ? q->heap[0] : NULL;
}

struct timerq_entry *timerq_pop_due(struct timerq *q, uint64_t now)
{
	struct timerq_entry *e = timerq_peek(q);

	if (!e || e->deadline > now)
		return NULL;
	timerq_del(q, e);
	return e;
}
