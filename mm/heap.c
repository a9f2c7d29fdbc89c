/*
 * mm/heap.c - small-object slabs and large page runs.
 *
 * A slab is one frame cut into equal slots of a size class; slot i is
 * at page + i * size, so a power-of-two class is aligned to its size.
 * Free slots form a chain of 16-bit indices stored in the slots; a freed
 * slot also gets FREED_MAGIC in its second word, which makes a double
 * free cheap to suspect and certain to catch (we then walk the chain).
 * The last few slots freed per class wait on a "quick" list (a pointer
 * chain through the slots, still counted in use by their slab) and are
 * handed out again first: the common free-then-malloc pattern then
 * touches no slab bookkeeping.
 */
#include <errno.h>
#include <string.h>
#include "mm/heap.h"

#define KIND_NONE	0
#define KIND_SLAB	1
#define KIND_LARGE	2
#define NO_PFN		0xffffffffu
#define FREED_MAGIC	0xf4eef4eef4eef4eeULL
#define PAGE		BUDDY_PAGE
#define QUICK_MAX	32		/* slots kept per class */

static const uint16_t class_size[HEAP_NR_CLASSES] = {
	16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256,
	320, 384, 448, 512, 640, 768, 1024, 1360, 1536, 2048,
};

/* class_for - the smallest class >= size whose slots are align-aligned. */
static int class_for(size_t size, size_t align)
{
	for (int c = 0; c < HEAP_NR_CLASSES; c++)
		if (class_size[c] >= size && class_size[c] % align == 0)
			return c;
	return -1;
}

/* slots - slots per slab of class c. */
static unsigned int slots(int c)
{
	return PAGE / class_size[c];
}

/* slot_next - the free-chain link stored in a free slot. */
static uint16_t *slot_next(void *slot)
{
	return slot;
}

/* partial_add - put slab pfn at the front of its class's partial list. */
static void partial_add(struct heap *h, uint32_t pfn)
{
	struct heap_desc *d = &h->desc[pfn];
	uint32_t head = h->partial[d->cls];

	d->prev = NO_PFN;
	d->next = head;
	if (head != NO_PFN)
		h->desc[head].prev = pfn;
	h->partial[d->cls] = pfn;
}

/* partial_del - take slab pfn off its class's partial list. */
static void partial_del(struct heap *h, uint32_t pfn)
{
	struct heap_desc *d = &h->desc[pfn];

	if (d->prev != NO_PFN)
		h->desc[d->prev].next = d->next;
	else
		h->partial[d->cls] = d->next;
	if (d->next != NO_PFN)
		h->desc[d->next].prev = d->prev;
	d->next = d->prev = NO_PFN;
}

void heap_init(struct heap *h, struct buddy *b, struct heap_desc *desc)
{
	memset(h, 0, sizeof(*h));
	h->pages = b;
	h->desc = desc;
	h->lo = b->base + b->start * PAGE;
	h->hi = b->base + b->end * PAGE;
	memset(desc, 0, b->end * sizeof(*desc));
	for (int c = 0; c < HEAP_NR_CLASSES; c++)
		h->partial[c] = NO_PFN;
	for (size_t i = 0; i <= HEAP_SMALL_MAX / 16; i++)	/* no scan later */
		h->class_of[i] = (uint8_t)class_for(i ? i * 16 : 1, 16);
	for (int c = 0; c < HEAP_NR_CLASSES; c++) {	/* no division later */
		h->recip[c] = (uint32_t)((1ULL << 32) / class_size[c] + 1);
		h->nslots[c] = (uint16_t)slots(c);
	}
}

/* new_slab - a fresh frame cut into free slots of class c, or NO_PFN. */
static uint32_t new_slab(struct heap *h, int c)
{
	long pfn = buddy_alloc(h->pages, 0);
	char *page;
	struct heap_desc *d;
	unsigned int n = slots(c);

	if (pfn < 0)
		return NO_PFN;
	page = buddy_addr(h->pages, pfn);
	for (unsigned int i = 0; i < n; i++)
		*slot_next(page + i * class_size[c]) = i + 2 <= n ? i + 2 : 0;
	d = &h->desc[pfn];
	d->kind = KIND_SLAB;
	d->cls = c;
	d->inuse = 0;
	d->free_head = 1;
	partial_add(h, pfn);
	h->stats.slab_pages++;
	return pfn;
}

/* alloc_small - one slot of class c. */
static void *alloc_small(struct heap *h, int c)
{
	uint32_t pfn = h->partial[c];
	struct heap_desc *d;
	char *slot;

	if (pfn == NO_PFN && (pfn = new_slab(h, c)) == NO_PFN)
		return NULL;
	d = &h->desc[pfn];
	slot = (char *)buddy_addr(h->pages, pfn) +
	       (d->free_head - 1) * class_size[c];
	d->free_head = *slot_next(slot);
	d->inuse++;
	if (!d->free_head)
		partial_del(h, pfn);
	((uint64_t *)slot)[1] = 0;		/* clear the freed mark */
	h->stats.bytes_in_use += class_size[c];
	return slot;
}

/* alloc_large - a run of frames holding size bytes, aligned to align. */
static void *alloc_large(struct heap *h, size_t size, size_t align)
{
	unsigned long frames = (size + PAGE - 1) / PAGE;
	long pfn;

	if (size > (1UL << BUDDY_MAX_ORDER) * PAGE)
		return NULL;
	if (align > PAGE && frames < align / PAGE)
		frames = align / PAGE;		/* runs align to their size */
	pfn = buddy_alloc_frames(h->pages, frames);
	if (pfn < 0)
		return NULL;
	h->desc[pfn].kind = KIND_LARGE;
	h->desc[pfn].next = frames;
	h->stats.large_pages += frames;
	h->stats.bytes_in_use += frames * PAGE;
	return buddy_addr(h->pages, pfn);
}

/* quick_pop - the most recently freed slot of class c. */
static void *quick_pop(struct heap *h, int c)
{
	void **p = h->quick[c];

	h->quick[c] = *p;
	h->quick_len[c]--;
	((uint64_t *)p)[1] = 0;			/* clear the freed mark */
	h->stats.bytes_in_use += class_size[c];
	h->stats.allocs++;
	return p;
}

void *heap_alloc(struct heap *h, size_t size, size_t align)
{
	void *p = NULL;
	int c;

	if (align & (align - 1))
		return NULL;
	if (align < 16)
		align = 16;
	if (!size)
		size = 1;
	if (size > HEAP_SMALL_MAX)
		c = -1;
	else if (align == 16)
		c = h->class_of[(size + 15) / 16];
	else
		c = class_for(size, align);
	if (c >= 0 && h->quick[c])
		return quick_pop(h, c);
	p = c >= 0 ? alloc_small(h, c) : alloc_large(h, size, align);
	if (!p && (h->stats.slab_pages || h->stats.large_pages)) {
		heap_trim(h);		/* cached slots may free whole pages */
		p = c >= 0 ? alloc_small(h, c) : alloc_large(h, size, align);
	}
	if (p)
		h->stats.allocs++;
	else
		h->stats.failures++;
	return p;
}

/* lookup - the frame descriptor of p, or NULL if p is not ours. */
static struct heap_desc *lookup(struct heap *h, const void *p, uint32_t *pfn)
{
	uintptr_t a = (uintptr_t)p;

	if (a < h->lo || a >= h->hi)
		return NULL;
	*pfn = (uint32_t)((a - h->pages->base) / PAGE);
	return &h->desc[*pfn];
}

/*
 * slot_index - p's slot in slab d, or -1 if p is not a slot start.
 * Divides by multiplying with a reciprocal: exact for offsets < 4096.
 */
static int slot_index(struct heap *h, const struct heap_desc *d, uint32_t pfn,
		      const void *p)
{
	uint64_t off = (uint64_t)((const char *)p -
				  (const char *)buddy_addr(h->pages, pfn));
	uint64_t size = class_size[d->cls];
	uint64_t idx = (off * h->recip[d->cls]) >> 32;

	if (idx * size != off || idx >= h->nslots[d->cls])
		return -1;
	return (int)idx;
}

/* on_free_chain - is slot idx (0-based) already free in slab pfn? */
static __attribute__((noinline)) int on_free_chain(struct heap *h, uint32_t pfn, int idx)
{
	const struct heap_desc *d = &h->desc[pfn];
	char *page = buddy_addr(h->pages, pfn);
	unsigned int guard = slots(d->cls);

	for (uint16_t i = d->free_head; i && guard--;
	     i = *slot_next(page + (i - 1) * class_size[d->cls]))
		if (i - 1 == idx)
			return 1;
	return 0;
}

/* on_quick_list - is p waiting on class c's quick list? */
static __attribute__((noinline)) int on_quick_list(const struct heap *h, int c, const void *p)
{
	for (void *const *q = h->quick[c]; q; q = *q)
		if (q == p)
			return 1;
	return 0;
}

/* slot_release - put a slot back on its slab's chain; free empty slabs. */
static void slot_release(struct heap *h, struct heap_desc *d, uint32_t pfn,
			 void *p, int idx);

/* free_small - return a slot: to the quick list, or to its slab. */
static int free_small(struct heap *h, struct heap_desc *d, uint32_t pfn,
		      void *p)
{
	int idx = slot_index(h, d, pfn, p);

	if (idx < 0 || !d->inuse)
		return -EINVAL;
	if (((uint64_t *)p)[1] == FREED_MAGIC &&
	    (on_quick_list(h, d->cls, p) || on_free_chain(h, pfn, idx)))
		return -EINVAL;				/* double free */
	((uint64_t *)p)[1] = FREED_MAGIC;
	h->stats.bytes_in_use -= class_size[d->cls];
	if (h->quick_len[d->cls] < QUICK_MAX) {
		*(void **)p = h->quick[d->cls];
		h->quick[d->cls] = p;
		h->quick_len[d->cls]++;
		return 0;
	}
	slot_release(h, d, pfn, p, idx);
	return 0;
}

static __attribute__((noinline)) void slot_release(struct heap *h,
		struct heap_desc *d, uint32_t pfn, void *p, int idx)
{
	if (!d->free_head)
		partial_add(h, pfn);
	*slot_next(p) = d->free_head;
	d->free_head = idx + 1;
	d->inuse--;
	/* An empty slab goes back unless it is its class's only one. */
	if (!d->inuse && (d->prev != NO_PFN || d->next != NO_PFN)) {
		partial_del(h, pfn);
		d->kind = KIND_NONE;
		buddy_free(h->pages, pfn, 0);
		h->stats.slab_pages--;
	}
}

void heap_trim(struct heap *h)
{
	for (int c = 0; c < HEAP_NR_CLASSES; c++) {
		while (h->quick[c]) {
			void **p = h->quick[c];
			uint32_t pfn;
			struct heap_desc *d = lookup(h, p, &pfn);

			h->quick[c] = *p;
			h->quick_len[c]--;
			slot_release(h, d, pfn, p, slot_index(h, d, pfn, p));
		}
	}
}

/* free_large - return a page run (kept out of free's fast path). */
static __attribute__((noinline)) int free_large(struct heap *h, struct heap_desc *d, uint32_t pfn,
		      void *p)
{
	unsigned long frames = d->next;

	if (p != buddy_addr(h->pages, pfn) ||
	    buddy_free_frames(h->pages, pfn, frames))
		return -EINVAL;
	d->kind = KIND_NONE;
	h->stats.large_pages -= frames;
	h->stats.bytes_in_use -= frames * PAGE;
	return 0;
}

int heap_free(struct heap *h, void *p)
{
	struct heap_desc *d;
	uint32_t pfn;
	int rc;

	if (!p)
		return 0;
	d = lookup(h, p, &pfn);
	if (!d)
		return -EINVAL;
	if (d->kind == KIND_SLAB)
		rc = free_small(h, d, pfn, p);
	else if (d->kind == KIND_LARGE)
		rc = free_large(h, d, pfn, p);
	else
		rc = -EINVAL;
	if (!rc)
		h->stats.frees++;
	return rc;
}

size_t heap_usable_size(struct heap *h, const void *p)
{
	struct heap_desc *d;
	uint32_t pfn;

	if (!p || !(d = lookup(h, p, &pfn)))
		return 0;
	if (d->kind == KIND_SLAB && slot_index(h, d, pfn, p) >= 0)
		return class_size[d->cls];
	if (d->kind == KIND_LARGE && p == buddy_addr(h->pages, pfn))
		return (size_t)d->next * PAGE;
	return 0;
}

void *heap_realloc(struct heap *h, void *p, size_t size)
{
	size_t have;
	void *n;

	if (!p)
		return heap_alloc(h, size, 16);
	if (!size) {
		heap_free(h, p);
		return NULL;
	}
	have = heap_usable_size(h, p);
	if (!have)
		return NULL;			/* not ours: refuse */
	if (size <= have && (have <= HEAP_SMALL_MAX || size > have / 2))
		return p;			/* fits without much waste */
	n = heap_alloc(h, size, 16);
	if (!n)
		return NULL;
	memcpy(n, p, size < have ? size : have);
	heap_free(h, p);
	return n;
}
