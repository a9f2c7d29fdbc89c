/*
 * test_vrange.c - the virtual range allocator against a model.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "mm/vrange.h"
#include "unit.h"

#define PAGES 1000

static uint64_t bits[(PAGES + 63) / 64];
static int owner[PAGES];

static void basics(void)
{
	struct vrange v;
	long a, b;

	vrange_init(&v, bits, PAGES);
	a = vrange_alloc(&v, 10);
	b = vrange_alloc(&v, 990);
	EXPECT(a == 0 && b == 10, "a %ld b %ld", a, b);
	EXPECT(vrange_alloc(&v, 1) == -1, "full area must refuse");
	EXPECT(vrange_free(&v, 0, 10) == 0, "free a");
	EXPECT(vrange_free(&v, 0, 10) == -EINVAL, "double free accepted");
	EXPECT(vrange_free(&v, 995, 10) == -EINVAL, "range past the end accepted");
	EXPECT(vrange_alloc(&v, 11) == -1, "11 pages cannot fit in a 10-page hole");
	EXPECT(vrange_alloc(&v, 10) == 0, "the hole must be reused");
}

static void random_model(void)
{
	struct vrange v;
	struct { long first; size_t n; } live[200];
	int nlive = 0;

	vrange_init(&v, bits, PAGES);
	memset(owner, 0, sizeof(owner));
	srand(9);
	for (int step = 0; step < 40000 && !unit_failures; step++) {
		if (nlive < 200 && (rand() % 2 || !nlive)) {
			size_t n = 1 + rand() % 30;
			long f = vrange_alloc(&v, n);

			if (f < 0)
				continue;
			for (size_t i = 0; i < n; i++) {
				EXPECT(!owner[f + i], "page %ld given twice", f + (long)i);
				owner[f + i] = 1;
			}
			live[nlive].first = f;
			live[nlive++].n = n;
		} else {
			int i = rand() % nlive;

			EXPECT(vrange_free(&v, live[i].first, live[i].n) == 0,
			       "free refused");
			for (size_t k = 0; k < live[i].n; k++)
				owner[live[i].first + k] = 0;
			live[i] = live[--nlive];
		}
	}
	while (nlive--)
		vrange_free(&v, live[nlive].first, live[nlive].n);
	EXPECT(v.used == 0 && vrange_alloc(&v, PAGES) == 0,
	       "everything must come back (%zu used)", v.used);
}

int main(void)
{
	static const struct unit units[] = { UNIT(basics), UNIT(random_model) };

	return RUN_UNITS("vrange", units);
}
