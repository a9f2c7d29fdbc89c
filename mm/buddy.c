/*
 * mm/buddy.c - binary buddy page allocator.
 *
 * state[pfn] says what starts at pfn: FREE_HEAD|order for the first
 * frame of a free block, USED_HEAD|order for the first frame of an
 * allocated block, RUN_HEAD for the first frame of a run that is not a
 * power of two long, HOT for a single frame on the hot list, MANAGED for
 * frames inside a block, 0 for frames never given to the allocator. Those
 * marks let buddy_free() refuse a double or mismatched free instead of
 * corrupting the lists.
 */
#include <errno.h>
#include "mm/buddy.h"

#define MANAGED		0x20	/* every frame given by buddy_add_range */
#define FREE_HEAD	(0x80 | MANAGED)
#define USED_HEAD	(0x40 | MANAGED)
#define RUN_HEAD	(USED_HEAD | 0x1f)	/* buddy_alloc_frames run */
#define HOT		(FREE_HEAD | 0x1f)	/* a frame on the hot list */

/* list_add - push n at the front of list head. */
static void list_add(struct buddy_node *head, struct buddy_node *n)
{
	n->next = head->next;
	n->prev = head;
	head->next->prev = n;
	head->next = n;
}

/* list_del - unlink n from its list. */
static void list_del(struct buddy_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
}

/* node_of - the list node stored in free frame pfn. */
static struct buddy_node *node_of(const struct buddy *b, unsigned long pfn)
{
	return buddy_addr(b, pfn);
}

/* push_free - make [pfn, pfn + 2^order) a free block on its list. */
static void push_free(struct buddy *b, unsigned long pfn, unsigned int order)
{
	b->state[pfn] = FREE_HEAD | order;
	list_add(&b->free[order], node_of(b, pfn));
}

/* pop_free - take free block pfn of this order off its list. */
static void pop_free(struct buddy *b, unsigned long pfn)
{
	b->state[pfn] = MANAGED;
	list_del(node_of(b, pfn));
}

void buddy_init(struct buddy *b, uintptr_t base, unsigned long start,
		unsigned long end, uint8_t *state)
{
	b->base = base;
	b->start = start;
	b->end = end;
	b->state = state;
	b->nr_free = 0;
	b->nr_total = 0;
	for (unsigned long i = 0; i < end; i++)
		state[i] = 0;
	for (int o = 0; o <= BUDDY_MAX_ORDER; o++)
		b->free[o].next = b->free[o].prev = &b->free[o];
	b->hot.next = b->hot.prev = &b->hot;
	b->nr_hot = 0;
}

/* in_range - is [pfn, pfn + n) inside the managed frames? */
static int in_range(const struct buddy *b, unsigned long pfn, unsigned long n)
{
	return pfn >= b->start && pfn <= b->end && n <= b->end - pfn;
}

/*
 * merge_and_push - free block (pfn, order), joining it with its buddy
 * for as long as the buddy is a free block of the same order.
 */
static void merge_and_push(struct buddy *b, unsigned long pfn,
			   unsigned int order)
{
	while (order < BUDDY_MAX_ORDER) {
		unsigned long buddy = pfn ^ (1UL << order);

		if (!in_range(b, buddy, 1UL << order) ||
		    b->state[buddy] != (FREE_HEAD | order))
			break;
		pop_free(b, buddy);
		pfn &= ~(1UL << order);
		order++;
	}
	push_free(b, pfn, order);
}

/* free_aligned_pieces - free [from, to) as the largest aligned blocks. */
static void free_aligned_pieces(struct buddy *b, unsigned long from,
				unsigned long to)
{
	while (from < to) {
		unsigned int order = 0;

		while (order < BUDDY_MAX_ORDER &&
		       !(from & (1UL << order)) &&
		       from + (2UL << order) <= to)
			order++;
		merge_and_push(b, from, order);
		b->nr_free += 1UL << order;
		from += 1UL << order;
	}
}

int buddy_add_range(struct buddy *b, unsigned long from, unsigned long to)
{
	if (from > to || !in_range(b, from, to - from))
		return -EINVAL;
	for (unsigned long p = from; p < to; p++)	/* already given? */
		if (b->state[p])
			return -EINVAL;
	for (unsigned long p = from; p < to; p++)
		b->state[p] = MANAGED;
	b->nr_total += to - from;
	free_aligned_pieces(b, from, to);
	return 0;
}

void buddy_drain(struct buddy *b)
{
	while (b->nr_hot) {
		unsigned long pfn = buddy_pfn(b, b->hot.next);

		list_del(b->hot.next);
		b->nr_hot--;
		b->state[pfn] = MANAGED;
		merge_and_push(b, pfn, 0);
	}
}

/* take_hot - a frame from the hot list (there is one). */
static long take_hot(struct buddy *b)
{
	unsigned long pfn = buddy_pfn(b, b->hot.next);

	list_del(b->hot.next);
	b->nr_hot--;
	b->state[pfn] = USED_HEAD;
	b->nr_free--;
	return (long)pfn;
}

long buddy_alloc(struct buddy *b, unsigned int order)
{
	unsigned int o = order;
	unsigned long pfn;

	if (order > BUDDY_MAX_ORDER)
		return -1;
	if (order == 0 && b->nr_hot)
		return take_hot(b);
	while (o <= BUDDY_MAX_ORDER && b->free[o].next == &b->free[o])
		o++;
	if (o > BUDDY_MAX_ORDER && b->nr_hot) {	/* hot frames may merge */
		buddy_drain(b);
		return buddy_alloc(b, order);
	}
	if (o > BUDDY_MAX_ORDER)
		return -1;
	pfn = buddy_pfn(b, b->free[o].next);
	pop_free(b, pfn);
	while (o > order) {		/* split, keeping the lower half */
		o--;
		push_free(b, pfn + (1UL << o), o);
	}
	b->state[pfn] = USED_HEAD | order;
	b->nr_free -= 1UL << order;
	return (long)pfn;
}

int buddy_free(struct buddy *b, unsigned long pfn, unsigned int order)
{
	if (order > BUDDY_MAX_ORDER || !in_range(b, pfn, 1UL << order) ||
	    b->state[pfn] != (USED_HEAD | order))
		return -EINVAL;
	b->nr_free += 1UL << order;
	if (order == 0 && b->nr_hot < BUDDY_HOT_MAX) {
		b->state[pfn] = HOT;
		list_add(&b->hot, node_of(b, pfn));
		b->nr_hot++;
		return 0;
	}
	b->state[pfn] = MANAGED;
	merge_and_push(b, pfn, order);
	return 0;
}

unsigned int buddy_order_for(unsigned long count)
{
	unsigned int order = 0;

	while (order < 63 && (1UL << order) < count)
		order++;
	return order;
}

long buddy_alloc_frames(struct buddy *b, unsigned long count)
{
	unsigned int order = buddy_order_for(count);
	long pfn;

	if (!count || order > BUDDY_MAX_ORDER)
		return -1;
	pfn = buddy_alloc(b, order);
	if (pfn < 0 || count == 1UL << order)
		return pfn;
	/* Keep [pfn, pfn + count), give back the tail of the block. */
	b->state[pfn] = RUN_HEAD;
	free_aligned_pieces(b, pfn + count, pfn + (1UL << order));
	return pfn;
}

int buddy_free_frames(struct buddy *b, unsigned long pfn, unsigned long count)
{
	unsigned int order = buddy_order_for(count);

	if (!count || order > BUDDY_MAX_ORDER || !in_range(b, pfn, count))
		return -EINVAL;
	if (count == 1UL << order)
		return buddy_free(b, pfn, order);
	if (b->state[pfn] != RUN_HEAD)
		return -EINVAL;
	b->state[pfn] = MANAGED;
	free_aligned_pieces(b, pfn, pfn + count);
	return 0;
}
