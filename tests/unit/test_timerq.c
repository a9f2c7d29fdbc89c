/*
 * test_timerq.c - the sleepers' min-heap: ordering, ties, early removal.
 */
#include <errno.h>
#include <stdlib.h>
#include "sched/timerq.h"
#include "unit.h"

#define N 2000

static struct timerq_entry e[N];
static struct timerq_entry *slots[N];

static void ordering_and_ties(void)
{
	struct timerq q;
	struct timerq_entry *x;
	uint64_t last = 0, last_seq = 0;
	int n = 0;

	timerq_init(&q, slots, N);
	srand(3);
	for (int i = 0; i < N; i++) {
		timerq_entry_init(&e[i]);
		EXPECT(timerq_add(&q, &e[i], rand() % 100) == 0, "add %d", i);
	}
	EXPECT(timerq_add(&q, &e[0], 5) == -ENOSPC, "a full queue must refuse");
	EXPECT(timerq_peek(&q)->deadline == 0, "the earliest comes first");
	while ((x = timerq_pop_due(&q, 1000))) {
		EXPECT(x->deadline > last ||
		       (x->deadline == last && x->seq > last_seq),
		       "out of order: %lu after %lu", (unsigned long)x->deadline,
		       (unsigned long)last);
		EXPECT(x->slot == TIMERQ_NONE, "popped entry still has a slot");
		last = x->deadline;
		last_seq = x->seq;
		n++;
	}
	EXPECT(n == N, "popped %d of %d", n, N);
}

static void early_removal(void)
{
	struct timerq q;
	struct timerq_entry *x;
	static char removed[N];
	uint64_t last = 0;
	int n = 0;

	timerq_init(&q, slots, N);
	srand(5);
	for (int i = 0; i < N; i++) {
		timerq_entry_init(&e[i]);
		timerq_add(&q, &e[i], rand() % 1000000);
		removed[i] = 0;
	}
	for (int i = 0; i < N; i += 3) {
		timerq_del(&q, &e[i]);
		timerq_del(&q, &e[i]);		/* twice is harmless */
		removed[i] = 1;
	}
	while ((x = timerq_pop_due(&q, ~0ULL))) {
		EXPECT(!removed[x - e], "a removed entry came out");
		EXPECT(x->deadline >= last, "out of order after removals");
		last = x->deadline;
		n++;
	}
	EXPECT(n == N - (N + 2) / 3, "popped %d", n);
}

static void not_due_yet(void)
{
	struct timerq q;
	struct timerq_entry a, b;

	timerq_init(&q, slots, N);
	timerq_entry_init(&a);
	timerq_entry_init(&b);
	timerq_add(&q, &a, 100);
	timerq_add(&q, &b, 50);
	EXPECT(timerq_pop_due(&q, 49) == NULL, "b is not due at 49");
	EXPECT(timerq_pop_due(&q, 50) == &b, "b is due at 50");
	EXPECT(timerq_peek(&q) == &a, "a is next");
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(ordering_and_ties), UNIT(early_removal), UNIT(not_due_yet),
	};

	return RUN_UNITS("timerq", units);
}
