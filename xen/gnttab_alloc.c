/*
 * xen/gnttab_alloc.c - grant reference free list and growth arithmetic.
 *
 * One uint32_t per ref: a free ref holds the next free ref (a LIFO
 * list threaded through the array), a held or reserved ref holds a
 * marker, so a double put or a put of a reserved ref is caught.
 */
#include <errno.h>
#include <string.h>
#include "xen/gnttab_alloc.h"

_Static_assert((uint64_t)GNTTAB_FRAMES_LIMIT * GNTTAB_REFS_PER_FRAME <
	       GNTTAB_ALLOC_RESERVED, "refs must stay below the markers");

void gnttab_alloc_init(struct gnttab_alloc *a)
{
	a->next = NULL;
	a->capacity = 0;
	a->head = GNTTAB_ALLOC_END;
	a->nr_free = 0;
	a->nr_held = 0;
}

int gnttab_alloc_grow(struct gnttab_alloc *a, uint32_t *next,
		      uint32_t capacity)
{
	uint32_t first;

	if (capacity <= a->capacity || capacity >= GNTTAB_ALLOC_RESERVED)
		return -EINVAL;
	if (a->capacity)
		memcpy(next, a->next, a->capacity * sizeof(*next));
	for (uint32_t r = a->capacity; r < capacity && r < GNTTAB_FIRST_REF;
	     r++)
		next[r] = GNTTAB_ALLOC_RESERVED;
	first = a->capacity > GNTTAB_FIRST_REF ? a->capacity : GNTTAB_FIRST_REF;
	/* New refs go in front, in ascending order, then the old list. */
	for (uint32_t r = first; r < capacity; r++)
		next[r] = r + 1 < capacity ? r + 1 : a->head;
	if (first < capacity) {
		a->head = first;
		a->nr_free += capacity - first;
	}
	a->next = next;
	a->capacity = capacity;
	return 0;
}

int gnttab_alloc_get(struct gnttab_alloc *a, uint32_t *ref)
{
	uint32_t r = a->head;

	if (r == GNTTAB_ALLOC_END)
		return -ENOSPC;
	a->head = a->next[r];
	a->next[r] = GNTTAB_ALLOC_HELD;
	a->nr_free--;
	a->nr_held++;
	*ref = r;
	return 0;
}

int gnttab_alloc_is_held(const struct gnttab_alloc *a, uint32_t ref)
{
	return ref < a->capacity && a->next[ref] == GNTTAB_ALLOC_HELD;
}

int gnttab_alloc_put(struct gnttab_alloc *a, uint32_t ref)
{
	if (!gnttab_alloc_is_held(a, ref))
		return -EINVAL;
	a->next[ref] = a->head;
	a->head = ref;
	a->nr_free++;
	a->nr_held--;
	return 0;
}

unsigned int gnttab_frames_limit(unsigned int xen_max)
{
	return xen_max < GNTTAB_FRAMES_LIMIT ? xen_max : GNTTAB_FRAMES_LIMIT;
}

unsigned int gnttab_next_frames(unsigned int cur, unsigned int xen_cur,
				unsigned int limit)
{
	unsigned int want;

	if (cur >= limit)
		return cur;
	want = cur ? cur * 2 : GNTTAB_INITIAL_FRAMES;
	if (want < xen_cur)		/* never fewer than Xen already has */
		want = xen_cur;
	return want < limit ? want : limit;
}

unsigned int gnttab_alloc_order(unsigned int frames)
{
	/* 512 refs of 4 bytes per frame: two frames per page of next[]. */
	unsigned long pages = ((unsigned long)frames + 1) / 2;
	unsigned int order = 0;

	while ((1UL << order) < pages)
		order++;
	return order;
}
