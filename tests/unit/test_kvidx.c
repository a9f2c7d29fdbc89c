/*
 * test_kvidx.c - kvstore's index: set/get/replace/delete of binary
 * keys and values, counts and byte totals, growth, clear, iteration,
 * and a random workload checked against a simple array model.
 */
#include <stdlib.h>
#include <string.h>
#include "examples/kvstore/kvidx.c"
#include "unit.h"

static void basics(void)
{
	struct kvidx ix;
	const struct kvidx_ent *e;

	EXPECT(kvidx_init(&ix, 1) == 0, "init");
	EXPECT(!kvidx_get(&ix, "a", 1), "empty get");
	EXPECT(kvidx_set(&ix, "a\0b", 3, "v\0\r\n", 4) == 0, "set");
	e = kvidx_get(&ix, "a\0b", 3);
	EXPECT(e && e->vlen == 4 && !memcmp(kvidx_value(e), "v\0\r\n", 4) &&
	       !memcmp(kvidx_key(e), "a\0b", 3), "get binary");
	EXPECT(!kvidx_get(&ix, "a", 1) && !kvidx_get(&ix, "a\0c", 3), "prefix");
	EXPECT(kvidx_set(&ix, "a\0b", 3, "", 0) == 0, "replace with empty");
	e = kvidx_get(&ix, "a\0b", 3);
	EXPECT(e && e->vlen == 0 && ix.count == 1 && ix.bytes == 3,
	       "count %zu bytes %llu", ix.count, (unsigned long long)ix.bytes);
	EXPECT(kvidx_del(&ix, "a\0b", 3) == 1 && kvidx_del(&ix, "a\0b", 3) == 0,
	       "delete twice");
	EXPECT(ix.count == 0 && ix.bytes == 0, "after delete");
	kvidx_free(&ix);
}

/* model - a random workload on 500 keys against a plain array. */
static void model(void)
{
	enum { KEYS = 500 };
	static char val[KEYS][40];
	static int vlen[KEYS];	/* -1: absent */
	struct kvidx ix;
	uint64_t bytes = 0;
	size_t count = 0;
	unsigned int seed = 7;

	kvidx_init(&ix, 12345);
	for (int i = 0; i < KEYS; i++)
		vlen[i] = -1;
	for (int step = 0; step < 20000; step++) {
		char key[16];
		int k = rand_r(&seed) % KEYS, op = rand_r(&seed) % 3;

		snprintf(key, sizeof(key), "k%d", k);
		if (op < 2) {
			int n = rand_r(&seed) % 40;

			for (int j = 0; j < n; j++)
				val[k][j] = (char)rand_r(&seed);
			if (vlen[k] < 0) {
				count++;
				bytes += strlen(key);
			} else {
				bytes -= (uint64_t)vlen[k];
			}
			bytes += (uint64_t)n;
			vlen[k] = n;
			kvidx_set(&ix, key, (uint32_t)strlen(key), val[k], (uint32_t)n);
		} else {
			int had = vlen[k] >= 0;

			EXPECT(kvidx_del(&ix, key, (uint32_t)strlen(key)) == had,
			       "del %s", key);
			if (had) {
				count--;
				bytes -= strlen(key) + (uint64_t)vlen[k];
			}
			vlen[k] = -1;
		}
	}
	EXPECT(ix.count == count && ix.bytes == bytes, "count %zu/%zu bytes",
	       ix.count, count);
	for (int k = 0; k < KEYS; k++) {
		char key[16];
		const struct kvidx_ent *e;

		snprintf(key, sizeof(key), "k%d", k);
		e = kvidx_get(&ix, key, (uint32_t)strlen(key));
		if (vlen[k] < 0)
			EXPECT(!e, "%s should be absent", key);
		else
			EXPECT(e && e->vlen == (uint32_t)vlen[k] &&
			       !memcmp(kvidx_value(e), val[k], (size_t)vlen[k]),
			       "%s differs", key);
	}
	kvidx_free(&ix);
}

/* growth_iterate - 20000 keys: the table grows, iteration visits each
 * once, clear empties it. */
static void growth_iterate(void)
{
	enum { N = 20000 };
	static unsigned char seen[N];
	struct kvidx ix;
	struct kvidx_iter it = { 0 };
	const struct kvidx_ent *e;
	int visits = 0, bad = 0;

	kvidx_init(&ix, 99);
	for (int i = 0; i < N; i++) {
		char key[16];

		snprintf(key, sizeof(key), "key:%06d", i);
		kvidx_set(&ix, key, (uint32_t)strlen(key), &i, sizeof(i));
	}
	EXPECT(ix.count == N && ix.nbuckets >= N, "count %zu buckets %zu",
	       ix.count, ix.nbuckets);
	while ((e = kvidx_next(&ix, &it))) {
		int i;

		memcpy(&i, kvidx_value(e), sizeof(i));
		if (i < 0 || i >= N || seen[i]++)
			bad++;
		visits++;
	}
	EXPECT(visits == N && !bad, "visits %d bad %d", visits, bad);
	kvidx_clear(&ix);
	memset(&it, 0, sizeof(it));
	EXPECT(ix.count == 0 && ix.bytes == 0 && !kvidx_next(&ix, &it),
	       "after clear");
	EXPECT(!kvidx_get(&ix, "key:000001", 10), "a key survived clear");
	kvidx_free(&ix);
}

static const struct unit units[] = {
	UNIT(basics), UNIT(model), UNIT(growth_iterate),
};

int main(void)
{
	return RUN_UNITS("kvidx", units);
}
