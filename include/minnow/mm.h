/*
 * minnow/mm.h - memory: pages and the heap.
 *
 * All of the guest's memory is mapped at boot; page_alloc hands out
 * page-aligned blocks of it, malloc and friends (declared by the C
 * library's <stdlib.h>) carve small objects from pages. None of these
 * may be called from an event handler; none of them sleeps.
 */
#ifndef MINNOW_MM_H
#define MINNOW_MM_H

#include <stddef.h>

#define MM_PAGE_SIZE	4096UL

/*
 * page_alloc - 2^order contiguous pages, aligned to their size, zeroed
 * if zero is non-zero. Returns NULL when no such block is free.
 */
void *page_alloc(unsigned int order, int zero);

/*
 * page_free - return a block from page_alloc with the same order. A
 * pointer or order that does not match such a block is a bug: the guest
 * reports it and crashes rather than corrupt its memory.
 */
void page_free(void *p, unsigned int order);

struct mm_stats {
	unsigned long pages_total;	/* pages the domain owns */
	unsigned long pages_managed;	/* pages the allocator manages */
	unsigned long pages_free;	/* of those, free now */
	unsigned long heap_bytes_in_use;/* slots and runs given by malloc */
	unsigned long heap_pages;	/* pages malloc holds */
	unsigned long heap_failures;	/* malloc calls that found no memory */
};

/* mm_stats_get - a snapshot of the counters above. */
void mm_stats_get(struct mm_stats *s);

#endif
