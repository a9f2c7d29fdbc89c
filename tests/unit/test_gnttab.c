/*
 * test_gnttab.c - the grant reference free list and the table growth
 * arithmetic (xen/gnttab_alloc.c), against a model, with growth in the
 * middle of randomized get/put sequences.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "xen/gnttab_alloc.h"
#include "unit.h"

#define MAX_REFS	(64 * GNTTAB_REFS_PER_FRAME)

static uint8_t held[MAX_REFS];		/* model: ref handed out */

/* grow_to - grow a to capacity with a fresh array; frees the old one. */
static int grow_to(struct gnttab_alloc *a, uint32_t capacity)
{
	uint32_t *old = a->next, *next = malloc(capacity * sizeof(*next));
	int rc;

	if (!next)
		abort();
	rc = gnttab_alloc_grow(a, next, capacity);
	if (rc)
		free(next);
	else
		free(old);
	return rc;
}

static void empty(void)
{
	struct gnttab_alloc a;
	uint32_t r = 1234;

	gnttab_alloc_init(&a);
	EXPECT(gnttab_alloc_get(&a, &r) == -ENOSPC && r == 1234,
	       "empty allocator handed out %u", r);
	EXPECT(gnttab_alloc_put(&a, 0) == -EINVAL, "put on empty accepted");
	EXPECT(!gnttab_alloc_is_held(&a, 0), "ref 0 held");
}

static void reserved_never_given(void)
{
	struct gnttab_alloc a;
	uint32_t r;
	int n = 0;

	gnttab_alloc_init(&a);
	EXPECT(grow_to(&a, GNTTAB_REFS_PER_FRAME) == 0, "grow failed");
	EXPECT(a.nr_free == GNTTAB_REFS_PER_FRAME - GNTTAB_FIRST_REF,
	       "nr_free %u", a.nr_free);
	while (gnttab_alloc_get(&a, &r) == 0) {
		EXPECT(r >= GNTTAB_FIRST_REF && r < GNTTAB_REFS_PER_FRAME,
		       "handed out ref %u", r);
		n++;
	}
	EXPECT(n == GNTTAB_REFS_PER_FRAME - GNTTAB_FIRST_REF, "got %d refs", n);
	EXPECT(a.nr_held == (uint32_t)n && a.nr_free == 0,
	       "held %u free %u", a.nr_held, a.nr_free);
	for (r = 0; r < GNTTAB_FIRST_REF; r++)
		EXPECT(gnttab_alloc_put(&a, r) == -EINVAL,
		       "reserved ref %u accepted", r);
	free(a.next);
}

static void put_checks(void)
{
	struct gnttab_alloc a;
	uint32_t r, s;

	gnttab_alloc_init(&a);
	grow_to(&a, GNTTAB_REFS_PER_FRAME);
	EXPECT(gnttab_alloc_get(&a, &r) == 0, "get failed");
	EXPECT(gnttab_alloc_is_held(&a, r), "ref %u not held", r);
	EXPECT(gnttab_alloc_put(&a, r) == 0, "put failed");
	EXPECT(gnttab_alloc_put(&a, r) == -EINVAL, "double put accepted");
	EXPECT(gnttab_alloc_put(&a, r + 1) == -EINVAL,
	       "put of a free ref accepted");
	EXPECT(gnttab_alloc_put(&a, GNTTAB_REFS_PER_FRAME) == -EINVAL,
	       "put beyond capacity accepted");
	EXPECT(gnttab_alloc_put(&a, 0xffffffffu) == -EINVAL,
	       "put of ~0 accepted");
	EXPECT(gnttab_alloc_get(&a, &s) == 0 && s == r,
	       "LIFO: got %u after putting %u", s, r);
	EXPECT(a.nr_held == 1 && a.nr_free == GNTTAB_REFS_PER_FRAME -
	       GNTTAB_FIRST_REF - 1, "held %u free %u", a.nr_held, a.nr_free);
	free(a.next);
}

static void grow_rules(void)
{
	struct gnttab_alloc a;
	uint32_t r;

	gnttab_alloc_init(&a);
	EXPECT(grow_to(&a, 4) == 0, "growing to 4 refs failed");
	EXPECT(gnttab_alloc_get(&a, &r) == -ENOSPC,
	       "reserved-only table gave %u", r);
	EXPECT(grow_to(&a, 4) == -EINVAL, "same capacity accepted");
	EXPECT(grow_to(&a, 2) == -EINVAL, "shrinking accepted");
	EXPECT(grow_to(&a, GNTTAB_ALLOC_RESERVED) == -EINVAL,
	       "capacity colliding with the markers accepted");
	EXPECT(grow_to(&a, GNTTAB_FIRST_REF + 1) == 0, "grow failed");
	EXPECT(gnttab_alloc_get(&a, &r) == 0 && r == GNTTAB_FIRST_REF,
	       "first ref %u", r);
	EXPECT(gnttab_alloc_put(&a, 5) == -EINVAL, "reserved ref 5 accepted");
	free(a.next);
}

/* Growing while refs are held keeps them held and frees only new ones. */
static void grow_keeps_state(void)
{
	struct gnttab_alloc a;
	uint32_t r, first[100];
	uint32_t cap = 4 * GNTTAB_REFS_PER_FRAME;

	gnttab_alloc_init(&a);
	grow_to(&a, cap);
	while (gnttab_alloc_get(&a, &r) == 0)
		;
	for (int i = 0; i < 100; i++) {	/* put back some: old free list */
		first[i] = GNTTAB_FIRST_REF + 3 * (uint32_t)i;
		gnttab_alloc_put(&a, first[i]);
	}
	EXPECT(grow_to(&a, 2 * cap) == 0, "grow failed");
	EXPECT(a.nr_free == 100 + cap &&
	       a.nr_held == cap - GNTTAB_FIRST_REF - 100,
	       "free %u held %u", a.nr_free, a.nr_held);
	memset(held, 0, sizeof(held));
	for (uint32_t i = 0; i < cap + 100; i++) {
		EXPECT(gnttab_alloc_get(&a, &r) == 0, "get %u failed", i);
		EXPECT(!held[r], "ref %u handed out twice", r);
		held[r] = 1;
		EXPECT(r >= cap || (r - GNTTAB_FIRST_REF) % 3 == 0,
		       "ref %u was held before the growth", r);
	}
	EXPECT(gnttab_alloc_get(&a, &r) == -ENOSPC, "extra ref %u", r);
	for (int i = 0; i < 100; i++)
		EXPECT(held[first[i]], "put-back ref %u lost", first[i]);
	free(a.next);
}

/* Random gets, puts and growths against the model. */
static void random_model(void)
{
	struct gnttab_alloc a;
	uint32_t cap = GNTTAB_REFS_PER_FRAME, live = 0;

	gnttab_alloc_init(&a);
	grow_to(&a, cap);
	memset(held, 0, sizeof(held));
	srand(7);
	for (int step = 0; step < 200000; step++) {
		uint32_t r;
		int op = rand() % 100;

		if (op < 55) {
			int rc = gnttab_alloc_get(&a, &r);

			if (live == cap - GNTTAB_FIRST_REF) {
				EXPECT(rc == -ENOSPC, "full table gave ref");
				if (cap < MAX_REFS)
					grow_to(&a, cap *= 2);
				continue;
			}
			EXPECT(rc == 0 && r >= GNTTAB_FIRST_REF && r < cap &&
			       !held[r], "step %d: got %u (rc %d)", step, r,
			       rc);
			if (rc == 0 && r < MAX_REFS && !held[r]) {
				held[r] = 1;
				live++;
			}
		} else {
			r = (uint32_t)rand() % cap;
			int want = held[r] ? 0 : -EINVAL;

			EXPECT(gnttab_alloc_put(&a, r) == want,
			       "step %d: put %u (held %d)", step, r, held[r]);
			live -= held[r];
			held[r] = 0;
		}
		if (unit_failures)
			break;
	}
	EXPECT(cap >= 8 * GNTTAB_REFS_PER_FRAME, "only grew to %u refs", cap);
	EXPECT(a.nr_held == live && a.nr_free == cap - GNTTAB_FIRST_REF - live,
	       "counters: held %u free %u, model %u of %u", a.nr_held,
	       a.nr_free, live, cap);
	free(a.next);
}

static void growth_arithmetic(void)
{
	EXPECT(gnttab_frames_limit(32) == 32, "limit 32");
	EXPECT(gnttab_frames_limit(0) == 0, "limit 0");
	EXPECT(gnttab_frames_limit(100000) == GNTTAB_FRAMES_LIMIT,
	       "limit capped");
	EXPECT(gnttab_next_frames(0, 1, 32) == GNTTAB_INITIAL_FRAMES,
	       "first size %u", gnttab_next_frames(0, 1, 32));
	EXPECT(gnttab_next_frames(0, 10, 32) == 10, "Xen already had 10");
	EXPECT(gnttab_next_frames(0, 1, 2) == 2, "first size capped");
	EXPECT(gnttab_next_frames(0, 40, 32) == 32, "Xen's count capped");
	EXPECT(gnttab_next_frames(4, 1, 32) == 8, "doubling");
	EXPECT(gnttab_next_frames(20, 1, 32) == 32, "doubling capped");
	EXPECT(gnttab_next_frames(32, 1, 32) == 32, "no growth at the limit");
	EXPECT(gnttab_next_frames(0, 0, 0) == 0, "no table at all");

	unsigned int f = 0, steps = 0;

	while (gnttab_next_frames(f, 1, 64) > f) {
		f = gnttab_next_frames(f, 1, 64);
		steps++;
	}
	EXPECT(f == 64 && steps == 5, "4..64 took %u steps to %u", steps, f);
}

static void array_order(void)
{
	/* 1024 four-byte refs per page: two frames' worth. */
	static const unsigned int want[][2] = {
		{ 1, 0 }, { 2, 0 }, { 3, 1 }, { 4, 1 }, { 5, 2 }, { 8, 2 },
		{ 32, 4 }, { 33, 5 }, { 1024, 9 },
	};

	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		EXPECT(gnttab_alloc_order(want[i][0]) == want[i][1],
		       "%u frames: order %u, want %u", want[i][0],
		       gnttab_alloc_order(want[i][0]), want[i][1]);
	for (unsigned int f = 1; f <= GNTTAB_FRAMES_LIMIT; f++)
		EXPECT((4096UL << gnttab_alloc_order(f)) >=
		       f * GNTTAB_REFS_PER_FRAME * sizeof(uint32_t),
		       "%u frames do not fit order %u", f,
		       gnttab_alloc_order(f));
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(empty), UNIT(reserved_never_given), UNIT(put_checks),
		UNIT(grow_rules), UNIT(grow_keeps_state), UNIT(random_model),
		UNIT(growth_arithmetic), UNIT(array_order),
	};

	return RUN_UNITS("gnttab", units);
}
