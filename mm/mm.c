/*
 * mm/mm.c - the kernel's page allocator and heap over the direct map.
 */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/mm.h>
#include "arch/x86_64/arch.h"
#include "kernel/kernel.h"
#include "mm/buddy.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "xen/hypervisor.h"

static struct buddy pages;
static struct heap heap;

void mm_init(unsigned long first_free, unsigned long nr_pages)
{
	size_t table_bytes = nr_pages * (1 + sizeof(struct heap_desc));
	unsigned long table_pages = (table_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	uint8_t *state = pfn_to_virt(first_free);
	struct heap_desc *desc = (struct heap_desc *)(state + nr_pages);

	if (first_free + table_pages >= nr_pages)
		kernel_panic("no memory left for the page allocator");
	/* desc must be aligned for its fields: round state's size up. */
	desc = (struct heap_desc *)(((uintptr_t)desc + 15) & ~(uintptr_t)15);
	table_pages = ((uintptr_t)(desc + nr_pages) - (uintptr_t)state +
		       PAGE_SIZE - 1) / PAGE_SIZE;
	buddy_init(&pages, 0, first_free + table_pages, nr_pages, state);
	buddy_add_range(&pages, first_free + table_pages, nr_pages);
	heap_init(&heap, &pages, desc);
	pt_mm_ready();
}

uint64_t virt_to_mfn(const void *p)
{
	return pfn_to_mfn(virt_to_pfn(p));
}

void *page_alloc(unsigned int order, int zero)
{
	long pfn = buddy_alloc(&pages, order);
	void *p;

	if (pfn < 0)
		return NULL;
	p = pfn_to_virt(pfn);
	if (zero)
		memset(p, 0, PAGE_SIZE << order);
	return p;
}

void page_free(void *p, unsigned int order)
{
	if (buddy_free(&pages, virt_to_pfn(p), order))
		kernel_panic("page_free(%p, order %u): not a block from "
			     "page_alloc", p, order);
}

void mm_stats_get(struct mm_stats *s)
{
	s->pages_total = xen_start_info->nr_pages;
	s->pages_managed = pages.nr_total;
	s->pages_free = pages.nr_free;
	s->heap_bytes_in_use = heap.stats.bytes_in_use;
	s->heap_pages = heap.stats.slab_pages + heap.stats.large_pages;
	s->heap_failures = heap.stats.failures;
}

/* The C library's allocation functions. */

/* nomem - the failed-allocation result: NULL with errno ENOMEM. */
static void *nomem(void *p)
{
	if (!p)
		errno = ENOMEM;
	return p;
}

void *malloc(size_t size)
{
	return nomem(heap_alloc(&heap, size, 16));
}

void free(void *p)
{
	if (heap_free(&heap, p))
		kernel_panic("free(%p): not a live block from malloc "
			     "(double free or wild pointer)", p);
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > (size_t)-1 / size)
		return nomem(NULL);		/* n * size overflows */
	p = heap_alloc(&heap, n * size, 16);
	if (p)
		memset(p, 0, n * size);
	return nomem(p);
}

void *realloc(void *p, size_t size)
{
	if (p && !heap_usable_size(&heap, p))
		kernel_panic("realloc(%p): not a live block from malloc", p);
	p = heap_realloc(&heap, p, size);
	return size ? nomem(p) : p;
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = heap_alloc(&heap, size, align);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *aligned_alloc(size_t align, size_t size)
{
	return nomem(heap_alloc(&heap, size, align));
}

void *memalign(size_t align, size_t size)
{
	return nomem(heap_alloc(&heap, size, align));
}

size_t malloc_usable_size(void *p)
{
	return heap_usable_size(&heap, p);
}

/*
 * newlib's reentrant entry points (its stdio and string code call these):
 * the same allocator; errno reaches the given reent through the thread.
 */
void *_malloc_r(struct _reent *r, size_t size)
{
	(void)r;
	return malloc(size);
}

void _free_r(struct _reent *r, void *p)
{
	(void)r;
	free(p);
}

void *_calloc_r(struct _reent *r, size_t n, size_t size)
{
	(void)r;
	return calloc(n, size);
}

void *_realloc_r(struct _reent *r, void *p, size_t size)
{
	(void)r;
	return realloc(p, size);
}

void *_memalign_r(struct _reent *r, size_t align, size_t size)
{
	(void)r;
	return memalign(align, size);
}

size_t _malloc_usable_size_r(struct _reent *r, void *p)
{
	(void)r;
	return malloc_usable_size(p);
}
