/*
 * test_prof_hist.c - the profiler's histogram (kernel/prof_hist.c):
 * counts per key, the table's fill limit counted as lost samples, and
 * the top-n ranking against a brute-force one.
 */
#include <stdlib.h>
#include <string.h>
#include "kernel/prof_hist.c"
#include "unit.h"

static void counts(void)
{
	static struct prof_slot slots[16], top[4];
	struct prof_hist h;
	unsigned int n;

	prof_hist_init(&h, slots, 16);
	for (int i = 0; i < 5; i++)
		prof_hist_add(&h, 0x1000);
	for (int i = 0; i < 3; i++)
		prof_hist_add(&h, 0x2000);
	prof_hist_add(&h, 0);			/* key 0 is a key like any */
	n = prof_hist_top(&h, top, 4);
	EXPECT(n == 3 && h.used == 3 && h.samples == 9 && !h.lost,
	       "n %u used %u samples %lu lost %lu", n, h.used, h.samples,
	       h.lost);
	EXPECT(top[0].key == 0x1000 && top[0].count == 5 &&
	       top[1].key == 0x2000 && top[1].count == 3 &&
	       top[2].key == 0 && top[2].count == 1, "ranked: %lx %lx %lx",
	       (unsigned long)top[0].key, (unsigned long)top[1].key,
	       (unsigned long)top[2].key);
	EXPECT(prof_hist_top(&h, top, 0) == 0, "n 0 writes nothing");
}

static void full_table(void)
{
	static struct prof_slot slots[16];
	struct prof_hist h;

	prof_hist_init(&h, slots, 16);
	for (uint64_t k = 1; k <= 20; k++)
		prof_hist_add(&h, k * 64);
	EXPECT(h.used == 12 && h.lost == 8 && h.samples == 20,
	       "12 of 16 slots used, the rest lost: used %u lost %lu", h.used,
	       h.lost);
	prof_hist_add(&h, 64);			/* a known key still counts */
	EXPECT(h.lost == 8 && h.samples == 21, "a known key is never lost");
}

/* ranking - random keys and counts: top-n equals a full sort's head. */
static int cmp(const void *a, const void *b)
{
	const struct prof_slot *x = a, *y = b;

	return before(x, y) ? -1 : before(y, x) ? 1 : 0;
}

static void ranking(void)
{
	static struct prof_slot slots[256], top[10], all[256];
	struct prof_hist h;
	unsigned int n, m = 0;
	int ok = 1;

	srand(7);
	prof_hist_init(&h, slots, 256);
	for (int i = 0; i < 5000; i++)
		prof_hist_add(&h, (uint64_t)(rand() % 150) * 16 + 0x40000);
	for (unsigned int i = 0; i < 256; i++)
		if (slots[i].count)
			all[m++] = slots[i];
	qsort(all, m, sizeof(all[0]), cmp);
	n = prof_hist_top(&h, top, 10);
	for (unsigned int i = 0; i < n; i++)
		ok &= top[i].key == all[i].key && top[i].count == all[i].count;
	EXPECT(n == 10 && ok && m == h.used, "top 10 of %u keys as sorted", m);
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(counts), UNIT(full_table), UNIT(ranking),
	};

	return RUN_UNITS("prof_hist", units);
}
