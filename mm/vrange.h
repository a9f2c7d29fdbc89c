/*
 * mm/vrange.h - first-fit allocation of page ranges from a bitmap, for
 * virtual address space. Pure logic (host-tested).
 */
#ifndef MINNOW_MM_VRANGE_H
#define MINNOW_MM_VRANGE_H

#include <stddef.h>
#include <stdint.h>

struct vrange {
	uint64_t *bits;		/* 1 = page in use */
	size_t pages;		/* pages managed */
	size_t hint;		/* where the next search starts */
	size_t used;
};

/* vrange_init - manage pages [0, pages); bits holds pages/64 words. */
void vrange_init(struct vrange *v, uint64_t *bits, size_t pages);

/* vrange_alloc - n contiguous free pages: the first index, or -1. */
long vrange_alloc(struct vrange *v, size_t n);

/*
 * vrange_free - release [first, first + n). Returns 0, or -EINVAL if
 * the range is outside or not wholly in use (nothing changes then).
 * The bitmap keeps no range boundaries: callers free what they got.
 */
int vrange_free(struct vrange *v, size_t first, size_t n);

#endif
