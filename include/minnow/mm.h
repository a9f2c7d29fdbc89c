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
#include <stdint.h>

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

/*
 * vmap_reserve - npages of unmapped virtual address space, outside the
 * direct map, with page tables ready (so Xen can map grants there).
 * NULL when the 1 GiB area or memory for tables runs out.
 */
void *vmap_reserve(size_t npages);

/*
 * vmap_map - map machine frame mfn at va (a page of a reserved range),
 * read-only or writable, never executable. 0, -EINVAL for a va outside
 * the area, -EPERM if Xen refuses the frame.
 */
int vmap_map(void *va, uint64_t mfn, int writable);

/* vmap_unmap - remove the mapping at va. 0 or -EINVAL. */
int vmap_unmap(void *va);

/* vmap_release - unmap and give back a range from vmap_reserve. */
int vmap_release(void *va, size_t npages);

/* virt_to_mfn - the machine frame behind a direct-map address. */
uint64_t virt_to_mfn(const void *p);

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
