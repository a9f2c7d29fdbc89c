/*
 * kernel/prof_hist.c - the profiler's histogram (see prof_hist.h).
 */
#include <string.h>
#include "kernel/prof_hist.h"

void prof_hist_init(struct prof_hist *h, struct prof_slot *slots,
		    unsigned int nslots)
{
	memset(slots, 0, sizeof(*slots) * nslots);
	h->slots = slots;
	h->nslots = nslots;
	h->used = 0;
	h->samples = 0;
	h->lost = 0;
}

/* hash - a slot index for key (Fibonacci hashing of the address). */
static unsigned int hash(const struct prof_hist *h, uint64_t key)
{
	return (unsigned int)((key * 0x9e3779b97f4a7c15ULL) >> 32) &
	       (h->nslots - 1);
}

void prof_hist_add(struct prof_hist *h, uint64_t key)
{
	unsigned int i = hash(h, key);

	h->samples++;
	for (unsigned int probe = 0; probe < h->nslots; probe++) {
		struct prof_slot *s = &h->slots[(i + probe) & (h->nslots - 1)];

		if (s->count && s->key == key) {
			s->count++;
			return;
		}
		if (!s->count) {
			if (h->used >= h->nslots / 4 * 3)
				break;
			s->key = key;
			s->count = 1;
			h->used++;
			return;
		}
	}
	h->lost++;
}

/* before - does a rank above b? */
static int before(const struct prof_slot *a, const struct prof_slot *b)
{
	return a->count > b->count || (a->count == b->count && a->key < b->key);
}

unsigned int prof_hist_top(const struct prof_hist *h, struct prof_slot *out,
			   unsigned int n)
{
	unsigned int have = 0;

	for (unsigned int i = 0; i < h->nslots && n; i++) {
		const struct prof_slot *s = &h->slots[i];
		unsigned int at;

		if (!s->count || (have == n && !before(s, &out[n - 1])))
			continue;
		at = have < n ? have++ : n - 1;	/* the last one drops out */
		while (at && before(s, &out[at - 1])) {
			out[at] = out[at - 1];
			at--;
		}
		out[at] = *s;
	}
	return have;
}
