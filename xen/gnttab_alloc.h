/*
 * xen/gnttab_alloc.h - grant reference bookkeeping and table growth
 * arithmetic (internal to xen/gnttab.c). Pure logic, host-tested: no
 * hypercall, no allocation; the caller supplies every array.
 *
 * A reference is reserved (below GNTTAB_FIRST_REF: the toolstack's
 * console and xenstore entries and their neighbours, never handed out),
 * free (on the free list) or held (handed out, not yet put back).
 */
#ifndef MINNOW_XEN_GNTTAB_ALLOC_H
#define MINNOW_XEN_GNTTAB_ALLOC_H

#include <stdint.h>

#define GNTTAB_REFS_PER_FRAME	512	/* 4096-byte frame / 8-byte v1 entry */
#define GNTTAB_FIRST_REF	8	/* GNTTAB_NR_RESERVED_ENTRIES */
#define GNTTAB_INITIAL_FRAMES	4	/* what the first use maps */
#define GNTTAB_FRAMES_LIMIT	1024	/* our own cap, whatever Xen allows */

/* Values of next[] that are not a free list link. */
#define GNTTAB_ALLOC_END	0xffffffffu	/* free, last on the list */
#define GNTTAB_ALLOC_HELD	0xfffffffeu	/* handed out */
#define GNTTAB_ALLOC_RESERVED	0xfffffffdu	/* never handed out */

struct gnttab_alloc {
	uint32_t *next;		/* per ref: next free ref or a marker above */
	uint32_t capacity;	/* refs [0, capacity) exist */
	uint32_t head;		/* first free ref, or GNTTAB_ALLOC_END */
	uint32_t nr_free;
	uint32_t nr_held;
};

/* gnttab_alloc_init - an empty allocator: no refs exist yet. */
void gnttab_alloc_init(struct gnttab_alloc *a);

/*
 * gnttab_alloc_grow - let refs [0, capacity) exist, keeping the state of
 * the old ones. next is a new array of capacity entries that replaces
 * a->next (the old contents are copied; the caller frees the old array).
 * The new refs at or above GNTTAB_FIRST_REF become free. 0, or -EINVAL
 * if capacity does not exceed the current one or is too large for the
 * markers (then nothing changes).
 */
int gnttab_alloc_grow(struct gnttab_alloc *a, uint32_t *next,
		      uint32_t capacity);

/* gnttab_alloc_get - take a free ref into *ref. 0, or -ENOSPC if none. */
int gnttab_alloc_get(struct gnttab_alloc *a, uint32_t *ref);

/*
 * gnttab_alloc_put - give back a held ref. 0, or -EINVAL for a ref that
 * does not exist, is reserved or is not held (a double put).
 */
int gnttab_alloc_put(struct gnttab_alloc *a, uint32_t ref);

/* gnttab_alloc_is_held - is ref handed out (and not put back)? */
int gnttab_alloc_is_held(const struct gnttab_alloc *a, uint32_t ref);

/*
 * gnttab_frames_limit - how many frames we will ever use when Xen
 * allows xen_max: xen_max capped at GNTTAB_FRAMES_LIMIT.
 */
unsigned int gnttab_frames_limit(unsigned int xen_max);

/*
 * gnttab_next_frames - the frame count to grow to from cur (0: nothing
 * mapped yet) when Xen already has xen_cur frames and limit is
 * gnttab_frames_limit's answer: GNTTAB_INITIAL_FRAMES first (at least
 * xen_cur), then double, never above limit. Returns cur when the table
 * cannot grow any more.
 */
unsigned int gnttab_next_frames(unsigned int cur, unsigned int xen_cur,
				unsigned int limit);

/*
 * gnttab_alloc_order - the page order of a next[] array for the refs of
 * frames frames (4-byte entries in 4096-byte pages).
 */
unsigned int gnttab_alloc_order(unsigned int frames);

#endif
