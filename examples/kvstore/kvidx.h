/*
 * kvidx.h - kvstore's in-memory index: a hash table from key to value,
 * both binary-safe byte strings, owned by the table (copied in).
 * The hash is seeded (kvidx_init), so clients cannot aim keys at one
 * bucket without knowing the seed. Pure code, host-tested.
 */
#ifndef KVIDX_H
#define KVIDX_H

#include <stddef.h>
#include <stdint.h>

struct kvidx_ent {
	struct kvidx_ent *next;		/* in its bucket */
	uint64_t hash;
	uint32_t klen, vlen;
	uint8_t data[];			/* the key, then the value */
};

struct kvidx {
	struct kvidx_ent **buckets;
	size_t nbuckets;		/* a power of two */
	size_t count;			/* keys */
	uint64_t bytes;			/* sum of key and value lengths */
	uint64_t seed;
};

/* An iteration position (kvidx_next); start from all zero. */
struct kvidx_iter {
	size_t bucket;
	struct kvidx_ent *ent;
};

/* kvidx_init - an empty index hashing with seed. 0 or -ENOMEM. */
int kvidx_init(struct kvidx *ix, uint64_t seed);

/* kvidx_free - free every entry and the table. */
void kvidx_free(struct kvidx *ix);

/* kvidx_get - the entry for key, or NULL. Valid until the next change. */
const struct kvidx_ent *kvidx_get(const struct kvidx *ix, const void *key,
				  uint32_t klen);

/* kvidx_key / kvidx_value - an entry's bytes. */
static inline const uint8_t *kvidx_key(const struct kvidx_ent *e)
{
	return e->data;
}

static inline const uint8_t *kvidx_value(const struct kvidx_ent *e)
{
	return e->data + e->klen;
}

/*
 * kvidx_set - key maps to value from now on (both copied). 0, or
 * -ENOMEM (then the index is unchanged).
 */
int kvidx_set(struct kvidx *ix, const void *key, uint32_t klen,
	      const void *value, uint32_t vlen);

/* kvidx_del - remove key: 1 if it was there, 0 if not. */
int kvidx_del(struct kvidx *ix, const void *key, uint32_t klen);

/* kvidx_clear - remove every key (the table keeps its size). */
void kvidx_clear(struct kvidx *ix);

/*
 * kvidx_next - the next entry of an iteration (in no particular order),
 * or NULL at the end. The index must not change during an iteration.
 */
const struct kvidx_ent *kvidx_next(const struct kvidx *ix,
				   struct kvidx_iter *it);

#endif
