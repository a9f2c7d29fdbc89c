/*
 * mm/heap.h - malloc's engine: size-class slabs for small objects and
 * whole page runs for large ones, over a buddy allocator.
 *
 * Pure logic (host-tested): per-frame descriptors are provided by the
 * caller. Not thread-safe by itself: Minnow's threads are cooperative
 * and nothing here yields, so only event handlers must stay away.
 */
#ifndef MINNOW_MM_HEAP_H
#define MINNOW_MM_HEAP_H

#include <stddef.h>
#include <stdint.h>
#include "mm/buddy.h"

#define HEAP_NR_CLASSES	22
#define HEAP_SMALL_MAX	2048		/* larger requests take page runs */

/* What the heap knows about one frame. */
struct heap_desc {
	uint32_t next;		/* slab: partial list link; large: frames */
	uint32_t prev;		/* slab: partial list link */
	uint16_t free_head;	/* slab: first free object + 1, 0: full */
	uint16_t inuse;		/* slab: objects handed out */
	uint8_t kind;		/* HEAP_KIND_* */
	uint8_t cls;		/* slab: size class */
	uint16_t pad;
};

struct heap_stats {
	size_t bytes_in_use;	/* slot sizes of live objects + large runs */
	size_t slab_pages;	/* frames holding small objects */
	size_t large_pages;	/* frames holding large objects */
	size_t allocs, frees, failures;
};

struct heap {
	struct buddy *pages;
	struct heap_desc *desc;		/* one per frame, indexed by pfn */
	uintptr_t lo, hi;		/* addresses of the managed frames */
	uint32_t partial[HEAP_NR_CLASSES];	/* slabs with free objects */
	uint8_t class_of[HEAP_SMALL_MAX / 16 + 1]; /* (size + 15) / 16 -> class */
	uint32_t recip[HEAP_NR_CLASSES];	/* 2^32 / size + 1: division-free */
	uint16_t nslots[HEAP_NR_CLASSES];	/* slots per slab */
	/* Recently freed slots per class, reused first (LIFO, bounded). */
	void *quick[HEAP_NR_CLASSES];
	uint16_t quick_len[HEAP_NR_CLASSES];
	struct heap_stats stats;
};

/* heap_init - a heap drawing frames from b; desc has b->end entries. */
void heap_init(struct heap *h, struct buddy *b, struct heap_desc *desc);

/*
 * heap_alloc - size bytes (0 gives a unique minimal object), aligned to
 * align (a power of two; 16 is the default). NULL when memory runs out
 * or align is not a power of two.
 */
void *heap_alloc(struct heap *h, size_t size, size_t align);

/*
 * heap_free - release p (NULL is ignored). Returns 0, or -EINVAL if p
 * is not a live object of this heap (a wild pointer or a double free
 * that was caught): nothing changes then.
 */
int heap_free(struct heap *h, void *p);

/*
 * heap_trim - give the recently-freed slots kept for quick reuse back
 * to their slabs (and empty slabs back to the page allocator). Done
 * automatically before an allocation fails.
 */
void heap_trim(struct heap *h);

/* heap_usable_size - bytes usable at p, 0 for a pointer not from h. */
size_t heap_usable_size(struct heap *h, const void *p);

/*
 * heap_realloc - resize p to size, moving it when needed; NULL (and p
 * untouched) when memory runs out; p NULL acts as heap_alloc; size 0
 * frees p and returns NULL.
 */
void *heap_realloc(struct heap *h, void *p, size_t size);

#endif
