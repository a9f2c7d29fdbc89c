/*
 * test_mm.c - the buddy page allocator and the malloc heap, against a
 * model, under randomized sequences.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mm/buddy.h"
#include "mm/heap.h"
#include "unit.h"

#define FRAMES	1000		/* not a power of two on purpose */
#define FIRST	37		/* managed range starts unaligned */

static char *arena;
static uint8_t state[FRAMES];
static struct heap_desc descs[FRAMES];
static int owner[FRAMES];	/* model: which live block owns a frame */

/* fresh - a buddy over frames [FIRST, FRAMES) of a new arena. */
static void fresh(struct buddy *b)
{
	free(arena);
	/* frame 0 aligned like the guest's (pfn 0 at address 0) */
	if (posix_memalign((void **)&arena, 1 << 22, FRAMES * BUDDY_PAGE))
		abort();
	buddy_init(b, (uintptr_t)arena, FIRST, FRAMES, state);
	memset(owner, 0, sizeof(owner));
}

/* count_free_blocks - blocks on all free lists. */
static int count_free_blocks(const struct buddy *b)
{
	int n = 0;

	for (int o = 0; o <= BUDDY_MAX_ORDER; o++)
		for (const struct buddy_node *x = b->free[o].next;
		     x != &b->free[o]; x = x->next)
			n++;
	return n;
}

/* minimal_blocks - how many aligned blocks [from, to) splits into. */
static int minimal_blocks(unsigned long from, unsigned long to)
{
	int n = 0;

	while (from < to) {
		unsigned int o = 0;

		while (o < BUDDY_MAX_ORDER && !(from & (1UL << o)) &&
		       from + (2UL << o) <= to)
			o++;
		from += 1UL << o;
		n++;
	}
	return n;
}

static void buddy_basics(void)
{
	struct buddy b;
	long p;

	fresh(&b);
	EXPECT(buddy_add_range(&b, FIRST, FRAMES) == 0, "add_range failed");
	EXPECT(b.nr_free == FRAMES - FIRST, "nr_free %lu", b.nr_free);
	EXPECT(buddy_add_range(&b, 100, 101) == -EINVAL, "double add accepted");
	EXPECT(buddy_add_range(&b, 0, 2000) == -EINVAL, "range beyond end accepted");
	p = buddy_alloc(&b, 3);
	EXPECT(p >= FIRST && p % 8 == 0, "order-3 block at %ld", p);
	EXPECT(buddy_free(&b, p, 2) == -EINVAL, "wrong order accepted");
	EXPECT(buddy_free(&b, p + 1, 0) == -EINVAL, "interior frame accepted");
	EXPECT(buddy_free(&b, p, 3) == 0, "free failed");
	EXPECT(buddy_free(&b, p, 3) == -EINVAL, "double free accepted");
	EXPECT(buddy_alloc(&b, 10) == -1, "order 10 cannot fit in 963 frames");
	EXPECT(count_free_blocks(&b) == minimal_blocks(FIRST, FRAMES),
	       "not coalesced: %d blocks, want %d", count_free_blocks(&b),
	       minimal_blocks(FIRST, FRAMES));
}

/* fill/check - a per-block byte pattern, to catch overlaps. */
static void fill(void *p, size_t n, int tag)
{
	memset(p, tag & 0xff, n);
}

static int intact(const void *p, size_t n, int tag)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i] != (tag & 0xff))
			return 0;
	return 1;
}

struct live {
	long pfn;
	unsigned long frames;
	int runs;		/* 1: alloc_frames, 0: alloc by order */
};

static void buddy_random(void)
{
	struct buddy b;
	struct live live[256];
	int nlive = 0;

	fresh(&b);
	buddy_add_range(&b, FIRST, FRAMES);
	srand(7);
	for (int step = 0; step < 50000 && !unit_failures; step++) {
		if (nlive < 256 && (rand() % 2 || !nlive)) {
			struct live l = { .runs = rand() % 2 };
			if (l.runs) {
				l.frames = 1 + rand() % 40;
				l.pfn = buddy_alloc_frames(&b, l.frames);
			} else {
				unsigned int o = rand() % 6;
				l.frames = 1UL << o;
				l.pfn = buddy_alloc(&b, o);
				EXPECT(l.pfn < 0 || l.pfn % (long)l.frames == 0,
				       "block %ld not aligned to %lu", l.pfn, l.frames);
			}
			if (l.pfn < 0)
				continue;
			for (unsigned long f = 0; f < l.frames; f++) {
				EXPECT(l.pfn + f >= FIRST && l.pfn + f < FRAMES &&
				       !owner[l.pfn + f], "frame %lu given twice",
				       l.pfn + f);
				owner[l.pfn + f] = nlive + 1;
			}
			fill(buddy_addr(&b, l.pfn), l.frames * BUDDY_PAGE, l.pfn);
			live[nlive++] = l;
		} else {
			int i = rand() % nlive;
			struct live l = live[i];

			EXPECT(intact(buddy_addr(&b, l.pfn), l.frames * BUDDY_PAGE,
				      l.pfn), "block %ld overwritten", l.pfn);
			EXPECT((l.runs ? buddy_free_frames(&b, l.pfn, l.frames)
				       : buddy_free(&b, l.pfn,
						    buddy_order_for(l.frames))) == 0,
			       "free of %ld failed", l.pfn);
			for (unsigned long f = 0; f < l.frames; f++)
				owner[l.pfn + f] = 0;
			live[i] = live[--nlive];
		}
	}
	while (nlive--) {
		struct live l = live[nlive];
		if (l.runs)
			buddy_free_frames(&b, l.pfn, l.frames);
		else
			buddy_free(&b, l.pfn, buddy_order_for(l.frames));
	}
	EXPECT(b.nr_free == FRAMES - FIRST, "leaked: %lu free of %d",
	       b.nr_free, FRAMES - FIRST);
	buddy_drain(&b);
	EXPECT(count_free_blocks(&b) == minimal_blocks(FIRST, FRAMES),
	       "not fully coalesced");
}

static void buddy_hot_frames(void)
{
	struct buddy b;
	long p, q, all[FRAMES];
	int n = 0;

	fresh(&b);
	buddy_add_range(&b, FIRST, FRAMES);
	p = buddy_alloc(&b, 0);
	EXPECT(buddy_free(&b, p, 0) == 0 && b.nr_hot == 1, "free to the hot list");
	EXPECT(buddy_free(&b, p, 0) == -EINVAL, "double free of a hot frame accepted");
	q = buddy_alloc(&b, 0);
	EXPECT(q == p && b.nr_hot == 0, "the hot frame must be reused first");
	buddy_free(&b, q, 0);
	/* Take everything as single frames, free them: most stay hot. */
	while ((all[n] = buddy_alloc(&b, 0)) >= 0)
		n++;
	EXPECT(n == FRAMES - FIRST, "%d single frames, wanted %d", n, FRAMES - FIRST);
	while (n--)
		buddy_free(&b, all[n], 0);
	EXPECT(b.nr_hot == BUDDY_HOT_MAX && b.nr_free == FRAMES - FIRST,
	       "hot %u free %lu", b.nr_hot, b.nr_free);
	/* Both order-8 blocks must still be found ([256,512) and [512,768)):
	 * hot frames in their way merge back first. */
	p = buddy_alloc(&b, 8);
	q = buddy_alloc(&b, 8);
	EXPECT(p >= 0 && q >= 0, "order 8 failed with frames hot (%ld %ld)", p, q);
	buddy_free(&b, p, 8);
	buddy_free(&b, q, 8);
	buddy_drain(&b);
	EXPECT(count_free_blocks(&b) == minimal_blocks(FIRST, FRAMES),
	       "not coalesced after draining");
}

static void heap_basics(void)
{
	struct buddy b;
	struct heap h;
	void *p, *q;
	int x;

	fresh(&b);
	buddy_add_range(&b, FIRST, FRAMES);
	heap_init(&h, &b, descs);
	p = heap_alloc(&h, 0, 16);
	q = heap_alloc(&h, 0, 16);
	EXPECT(p && q && p != q, "malloc(0) must give distinct objects");
	EXPECT(heap_free(&h, p) == 0, "free failed");
	EXPECT(heap_free(&h, p) == -EINVAL, "double free (quick list) not caught");
	EXPECT(heap_alloc(&h, 1, 16) == p, "the last freed slot must come first");
	EXPECT(heap_free(&h, p) == 0, "free failed");
	heap_trim(&h);
	EXPECT(heap_free(&h, p) == -EINVAL, "double free (slab chain) not caught");
	EXPECT(heap_free(&h, &x) == -EINVAL, "foreign pointer not refused");
	EXPECT(heap_free(&h, (char *)q + 8) == -EINVAL, "interior pointer not refused");
	EXPECT(heap_alloc(&h, 10, 3) == NULL, "alignment 3 accepted");
	for (size_t a = 16; a <= 64 * 1024; a *= 2) {
		void *r = heap_alloc(&h, 100, a);
		void *s = heap_alloc(&h, 9000, a);
		EXPECT(r && (uintptr_t)r % a == 0, "100 B aligned %zu: %p", a, r);
		EXPECT(s && (uintptr_t)s % a == 0, "9000 B aligned %zu: %p", a, s);
		heap_free(&h, r);
		heap_free(&h, s);
	}
	p = heap_alloc(&h, 5000, 16);
	EXPECT(p && heap_free(&h, (char *)p + 4096) == -EINVAL,
	       "pointer into a large block's second page accepted");
	EXPECT(heap_free(&h, p) == 0 && heap_free(&h, p) == -EINVAL,
	       "large double free not caught");
	heap_free(&h, q);
	EXPECT(h.stats.bytes_in_use == 0, "bytes in use %zu", h.stats.bytes_in_use);
}

static void heap_exhaustion(void)
{
	struct buddy b;
	struct heap h;
	void *ptrs[5000];
	int n = 0;

	fresh(&b);
	buddy_add_range(&b, FIRST, FRAMES);
	heap_init(&h, &b, descs);
	while (n < 5000 && (ptrs[n] = heap_alloc(&h, 1000, 16)))
		n++;
	EXPECT(n > 0 && n < 5000, "expected exhaustion, got %d objects", n);
	EXPECT(heap_alloc(&h, 100000, 16) == NULL, "large alloc must fail too");
	while (n--)
		EXPECT(heap_free(&h, ptrs[n]) == 0, "free after exhaustion");
	heap_trim(&h);			/* the quick lists hold a few slots */
	EXPECT(b.nr_free >= FRAMES - FIRST - HEAP_NR_CLASSES,
	       "memory not returned: %lu free", b.nr_free);
	EXPECT(heap_alloc(&h, 100000, 16) != NULL, "heap must recover");
}

struct obj {
	char *p;
	size_t size;
	int tag;
};

static void heap_random(void)
{
	struct buddy b;
	struct heap h;
	struct obj objs[512];
	int n = 0;

	fresh(&b);
	buddy_add_range(&b, FIRST, FRAMES);
	heap_init(&h, &b, descs);
	srand(11);
	for (int step = 0; step < 100000 && !unit_failures; step++) {
		int op = rand() % 3;
		if (op == 0 && n < 512) {
			size_t size = rand() % 4 ? rand() % 300 : rand() % 20000;
			size_t align = (size_t)16 << (rand() % 4 ? 0 : rand() % 6);
			char *p = heap_alloc(&h, size, align);
			if (!p)
				continue;
			EXPECT((uintptr_t)p % align == 0, "misaligned %p/%zu", p, align);
			EXPECT(heap_usable_size(&h, p) >= size, "usable < size");
			fill(p, size, step);
			objs[n++] = (struct obj){ p, size, step };
		} else if (op == 1 && n) {
			int i = rand() % n;
			EXPECT(intact(objs[i].p, objs[i].size, objs[i].tag),
			       "object of %zu bytes overwritten", objs[i].size);
			EXPECT(heap_free(&h, objs[i].p) == 0, "free refused");
			objs[i] = objs[--n];
		} else if (n) {
			int i = rand() % n;
			size_t size = rand() % 6000;
			char *p = heap_realloc(&h, objs[i].p, size);
			size_t keep = size < objs[i].size ? size : objs[i].size;
			if (!p && size)
				continue;
			if (!size) {
				objs[i] = objs[--n];
				continue;
			}
			EXPECT(intact(p, keep, objs[i].tag), "realloc lost data");
			fill(p, size, objs[i].tag);
			objs[i].p = p;
			objs[i].size = size;
		}
	}
	while (n--)
		heap_free(&h, objs[n].p);
	heap_trim(&h);
	EXPECT(h.stats.bytes_in_use == 0 && h.stats.large_pages == 0,
	       "leak: %zu bytes, %zu large pages", h.stats.bytes_in_use,
	       h.stats.large_pages);
	EXPECT(b.nr_free + h.stats.slab_pages == FRAMES - FIRST,
	       "frames lost: %lu free + %zu slab", b.nr_free, h.stats.slab_pages);
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(buddy_basics), UNIT(buddy_random), UNIT(buddy_hot_frames),
		UNIT(heap_basics),
		UNIT(heap_exhaustion), UNIT(heap_random),
	};
	int rc = RUN_UNITS("mm", units);

	free(arena);
	return rc;
}
