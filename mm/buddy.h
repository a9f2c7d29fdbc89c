/*
 * mm/buddy.h - a binary buddy allocator over a range of page frames.
 *
 * Pure logic: it touches only the free pages themselves (free-list links
 * live inside them) and a state byte per frame that the caller provides,
 * so it runs unchanged on the host under sanitizers. Blocks of order k
 * are 2^k frames aligned to 2^k frames; freeing coalesces buddies. The
 * last few single frames freed wait unmerged on a "hot" list and serve
 * the next order-0 allocations, so a free/alloc cycle does not split
 * and merge a large block every time.
 */
#ifndef MINNOW_MM_BUDDY_H
#define MINNOW_MM_BUDDY_H

#include <stddef.h>
#include <stdint.h>

#define BUDDY_MAX_ORDER	20		/* 4 GiB blocks */
#define BUDDY_PAGE	4096UL

struct buddy_node {
	struct buddy_node *next, *prev;
};

struct buddy {
	uintptr_t base;			/* address of frame 0 */
	unsigned long start, end;	/* frames managed: [start, end) */
	uint8_t *state;			/* one byte per frame in [0, end) */
	struct buddy_node free[BUDDY_MAX_ORDER + 1];	/* list heads */
	unsigned long nr_free;		/* free frames (hot ones included) */
	unsigned long nr_total;		/* frames ever added */
	struct buddy_node hot;		/* recently freed single frames */
	unsigned int nr_hot;
};

/* Single frames kept unmerged for the next order-0 allocation. */
#define BUDDY_HOT_MAX	64

/*
 * buddy_init - an empty allocator for frames [start, end), frame n at
 * address base + n * BUDDY_PAGE. state must have end bytes; it is
 * cleared here. No frame is free until buddy_add_range().
 */
void buddy_init(struct buddy *b, uintptr_t base, unsigned long start,
		unsigned long end, uint8_t *state);

/*
 * buddy_add_range - give frames [from, to) to the allocator as free.
 * Returns 0, or -EINVAL if the range is outside [start, end) or overlaps
 * frames already given.
 */
int buddy_add_range(struct buddy *b, unsigned long from, unsigned long to);

/* buddy_alloc - a free block of 2^order frames: its first frame, or -1. */
long buddy_alloc(struct buddy *b, unsigned int order);

/*
 * buddy_free - return a block that buddy_alloc gave with this order.
 * Returns 0, or -EINVAL for a frame/order that is not such a block
 * (double free, wrong order, foreign frame): nothing is changed then.
 */
int buddy_free(struct buddy *b, unsigned long pfn, unsigned int order);

/* buddy_drain - merge the hot frames back into the free lists. */
void buddy_drain(struct buddy *b);

/*
 * buddy_alloc_frames - count contiguous frames (count >= 1), aligned to
 * the next power of two >= count: the frames beyond count go straight
 * back. Returns the first frame, or -1.
 */
long buddy_alloc_frames(struct buddy *b, unsigned long count);

/* buddy_free_frames - return what buddy_alloc_frames(count) gave. */
int buddy_free_frames(struct buddy *b, unsigned long pfn, unsigned long count);

/* buddy_order_for - smallest order whose block holds count frames. */
unsigned int buddy_order_for(unsigned long count);

/* buddy_addr / buddy_pfn - convert between frame numbers and addresses. */
static inline void *buddy_addr(const struct buddy *b, unsigned long pfn)
{
	return (void *)(b->base + pfn * BUDDY_PAGE);
}

static inline unsigned long buddy_pfn(const struct buddy *b, const void *p)
{
	return ((uintptr_t)p - b->base) / BUDDY_PAGE;
}

#endif
