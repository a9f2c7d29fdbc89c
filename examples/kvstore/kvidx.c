/*
 * kvidx.c - kvstore's in-memory index (see kvidx.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "kvidx.h"

#define BUCKETS_MIN	1024

/* hash - FNV-1a over the key from the seed, then a 64-bit finaliser
 * (splitmix64's) so every bit of the result depends on every byte. */
static uint64_t hash(uint64_t seed, const uint8_t *p, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

int kvidx_init(struct kvidx *ix, uint64_t seed)
{
	memset(ix, 0, sizeof(*ix));
	ix->buckets = calloc(BUCKETS_MIN, sizeof(*ix->buckets));
	if (!ix->buckets)
		return -ENOMEM;
	ix->nbuckets = BUCKETS_MIN;
	ix->seed = seed;
	return 0;
}

void kvidx_clear(struct kvidx *ix)
{
	for (size_t b = 0; b < ix->nbuckets; b++) {
		struct kvidx_ent *e = ix->buckets[b], *next;

		for (; e; e = next) {
			next = e->next;
			free(e);
		}
		ix->buckets[b] = NULL;
	}
	ix->count = 0;
	ix->bytes = 0;
}

void kvidx_free(struct kvidx *ix)
{
	if (ix->buckets)
		kvidx_clear(ix);
	free(ix->buckets);
	ix->buckets = NULL;
	ix->nbuckets = 0;
}

/* slot - the link that points at key's entry (or the bucket's end). */
static struct kvidx_ent **slot(const struct kvidx *ix, uint64_t h,
			       const void *key, uint32_t klen)
{
	struct kvidx_ent **pp = &ix->buckets[h & (ix->nbuckets - 1)];

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->hash == h && (*pp)->klen == klen &&
		    !memcmp((*pp)->data, key, klen))
			break;
	return pp;
}

const struct kvidx_ent *kvidx_get(const struct kvidx *ix, const void *key,
				  uint32_t klen)
{
	return *slot(ix, hash(ix->seed, key, klen), key, klen);
}

/* grow - double the table when it holds more keys than buckets; when
 * memory is short it stays as it is (chains get longer). */
static void grow(struct kvidx *ix)
{
	size_t n = ix->nbuckets * 2;
	struct kvidx_ent **nb;

	if (ix->count <= ix->nbuckets || n > ((size_t)1 << 28))
		return;
	nb = calloc(n, sizeof(*nb));
	if (!nb)
		return;
	for (size_t b = 0; b < ix->nbuckets; b++) {
		struct kvidx_ent *e = ix->buckets[b], *next;

		for (; e; e = next) {
			next = e->next;
			e->next = nb[e->hash & (n - 1)];
			nb[e->hash & (n - 1)] = e;
		}
	}
	free(ix->buckets);
	ix->buckets = nb;
	ix->nbuckets = n;
}

int kvidx_set(struct kvidx *ix, const void *key, uint32_t klen,
	      const void *value, uint32_t vlen)
{
	uint64_t h = hash(ix->seed, key, klen);
	struct kvidx_ent **pp = slot(ix, h, key, klen), *old = *pp, *e;

	e = malloc(sizeof(*e) + (size_t)klen + vlen);
	if (!e)
		return -ENOMEM;
	e->hash = h;
	e->klen = klen;
	e->vlen = vlen;
	memcpy(e->data, key, klen);
	if (vlen)
		memcpy(e->data + klen, value, vlen);
	if (old) {
		e->next = old->next;
		ix->bytes -= (uint64_t)old->klen + old->vlen;
		free(old);
	} else {
		e->next = NULL;
		ix->count++;
	}
	*pp = e;
	ix->bytes += (uint64_t)klen + vlen;
	if (!old)
		grow(ix);
	return 0;
}

int kvidx_del(struct kvidx *ix, const void *key, uint32_t klen)
{
	struct kvidx_ent **pp = slot(ix, hash(ix->seed, key, klen), key, klen);
	struct kvidx_ent *e = *pp;

	if (!e)
		return 0;
	*pp = e->next;
	ix->count--;
	ix->bytes -= (uint64_t)e->klen + e->vlen;
	free(e);
	return 1;
}

const struct kvidx_ent *kvidx_next(const struct kvidx *ix,
				   struct kvidx_iter *it)
{
	if (it->ent)
		it->ent = it->ent->next;
	while (!it->ent && it->bucket < ix->nbuckets)
		it->ent = ix->buckets[it->bucket++];
	return it->ent;
}
