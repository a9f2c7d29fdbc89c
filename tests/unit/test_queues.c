/*
 * test_queues.c - the intrusive lists that are the scheduler's run
 * queue and every wait queue: FIFO order, removal from the middle (a
 * timed-out waiter leaving its queue), pops from empty queues, and a
 * node moving between queues, checked against a model.
 */
#include <stdlib.h>
#include <minnow/list.h>
#include "unit.h"

struct item {
	struct list link;
	int id;
	int where;		/* model: -1 nowhere, else queue number */
};

#define ITEMS 64
#define QUEUES 4

static void fifo_order(void)
{
	struct list q = LIST_INIT(q);
	struct item it[5];

	for (int i = 0; i < 5; i++) {
		it[i].id = i;
		list_add_tail(&q, &it[i].link);
	}
	list_del(&it[2].link);			/* leaves from the middle */
	EXPECT(list_empty(&it[2].link), "a removed node must be unlinked");
	for (int want = 0; want < 5; want++) {
		struct list *n;

		if (want == 2)
			continue;
		n = list_pop(&q);
		EXPECT(n && list_entry(n, struct item, link)->id == want,
		       "expected item %d first", want);
	}
	EXPECT(list_pop(&q) == NULL && list_empty(&q), "queue must be empty");
}

/* check_queue - q holds exactly the model's items for queue k, in order. */
static void check_queue(struct list *q, struct item *it, int k, int *order,
			int n)
{
	struct list *p = q->next;

	for (int i = 0; i < n; i++, p = p->next) {
		EXPECT(p != q, "queue %d shorter than the model", k);
		if (p == q)
			return;
		EXPECT(list_entry(p, struct item, link) == &it[order[i]],
		       "queue %d position %d differs from the model", k, i);
	}
	EXPECT(p == q, "queue %d longer than the model", k);
}

static void random_moves(void)
{
	struct list q[QUEUES];
	struct item it[ITEMS];
	int order[QUEUES][ITEMS], len[QUEUES] = { 0 };

	for (int k = 0; k < QUEUES; k++)
		list_init(&q[k]);
	for (int i = 0; i < ITEMS; i++) {
		it[i].id = i;
		it[i].where = -1;
		list_init(&it[i].link);
	}
	srand(17);
	for (int step = 0; step < 20000 && !unit_failures; step++) {
		int i = rand() % ITEMS, k = rand() % QUEUES, w = it[i].where;

		if (w >= 0) {			/* leave its queue */
			int p = 0;

			while (order[w][p] != i)
				p++;
			for (; p < len[w] - 1; p++)
				order[w][p] = order[w][p + 1];
			len[w]--;
			list_del(&it[i].link);
			it[i].where = -1;
		} else if (rand() % 3) {	/* join the tail of queue k */
			list_add_tail(&q[k], &it[i].link);
			order[k][len[k]++] = i;
			it[i].where = k;
		} else if (len[k]) {		/* wake the head of queue k */
			struct list *n = list_pop(&q[k]);
			int head = order[k][0];

			EXPECT(n == &it[head].link, "pop gave the wrong item");
			for (int p = 0; p < len[k] - 1; p++)
				order[k][p] = order[k][p + 1];
			len[k]--;
			it[head].where = -1;
		}
		for (int c = 0; c < QUEUES; c++)
			check_queue(&q[c], it, c, order[c], len[c]);
	}
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(fifo_order), UNIT(random_moves),
	};

	return RUN_UNITS("queues", units);
}
