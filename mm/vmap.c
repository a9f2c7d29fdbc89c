/*
 * mm/vmap.c - a virtual area for mapping frames on demand (foreign
 * frames, grant mappings), away from the direct map: 1 GiB at 16 TiB.
 */
#include <errno.h>
#include <stdint.h>
#include <minnow/mm.h>
#include "arch/x86_64/arch.h"
#include "mm/vrange.h"

#define VMAP_BASE	0x100000000000ULL
#define VMAP_PAGES	(1UL << 18)		/* 1 GiB */

static uint64_t bits[VMAP_PAGES / 64];
static struct vrange area;
static int ready;

/* va_of / index_of - convert between area pages and addresses. */
static void *va_of(long i)
{
	return (void *)(VMAP_BASE + (uint64_t)i * PAGE_SIZE);
}

static long index_of(const void *va)
{
	uint64_t a = (uint64_t)va;

	if (a < VMAP_BASE || a >= VMAP_BASE + VMAP_PAGES * PAGE_SIZE ||
	    (a & (PAGE_SIZE - 1)))
		return -1;
	return (long)((a - VMAP_BASE) / PAGE_SIZE);
}

void *vmap_reserve(size_t npages)
{
	long first;

	if (!ready) {
		vrange_init(&area, bits, VMAP_PAGES);
		ready = 1;
	}
	first = vrange_alloc(&area, npages);
	if (first < 0)
		return NULL;
	/* Page tables now, so that Xen can map grants straight in. */
	for (size_t i = 0; i < npages; i++) {
		if (pt_prepare((uint64_t)va_of(first + (long)i))) {
			vrange_free(&area, (size_t)first, npages);
			return NULL;
		}
	}
	return va_of(first);
}

int vmap_map(void *va, uint64_t mfn, int writable)
{
	if (index_of(va) < 0)
		return -EINVAL;
	return pt_set((uint64_t)va, (mfn << PAGE_SHIFT) | PTE_P |
				    (writable ? PTE_RW : 0));
}

int vmap_unmap(void *va)
{
	if (index_of(va) < 0)
		return -EINVAL;
	return pt_set((uint64_t)va, 0);
}

int vmap_release(void *va, size_t npages)
{
	long first = index_of(va);

	if (first < 0 || !ready)
		return -EINVAL;
	for (size_t i = 0; i < npages; i++)
		pt_set((uint64_t)va_of(first + (long)i), 0);
	return vrange_free(&area, (size_t)first, npages);
}
