/*
 * fdb.c - the learning switch's forwarding database (see fdb.h).
 */
#include <string.h>
#include "fdb.h"

void fdb_init(struct fdb *f, uint64_t max_age_ns)
{
	memset(f, 0, sizeof(*f));
	f->max_age_ns = max_age_ns;
}

int fdb_is_group(const uint8_t mac[6])
{
	return mac[0] & 1;
}

/* hash - the slot a MAC address's probe window starts at. */
static unsigned int hash(const uint8_t mac[6])
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (int i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h & (FDB_SLOTS - 1);
}

/* fresh - e holds a station heard from within the age limit. */
static int fresh(const struct fdb *f, const struct fdb_entry *e, uint64_t now)
{
	return e->used && now - e->seen_ns <= f->max_age_ns;
}

/* find - mac's entry (fresh or not), or NULL. */
static struct fdb_entry *find(const struct fdb *f, const uint8_t mac[6])
{
	unsigned int h = hash(mac);

	for (unsigned int i = 0; i < FDB_PROBE; i++) {
		const struct fdb_entry *e = &f->e[(h + i) & (FDB_SLOTS - 1)];

		if (e->used && !memcmp(e->mac, mac, 6))
			return (struct fdb_entry *)e;
	}
	return NULL;
}

/* victim - where a new station goes: a free or stale slot of its
 * window, else the one heard from longest ago. */
static struct fdb_entry *victim(struct fdb *f, const uint8_t mac[6],
				uint64_t now)
{
	unsigned int h = hash(mac);
	struct fdb_entry *oldest = &f->e[h];

	for (unsigned int i = 0; i < FDB_PROBE; i++) {
		struct fdb_entry *e = &f->e[(h + i) & (FDB_SLOTS - 1)];

		if (!fresh(f, e, now))
			return e;
		if (e->seen_ns < oldest->seen_ns)
			oldest = e;
	}
	f->evicted++;
	return oldest;
}

void fdb_learn(struct fdb *f, const uint8_t mac[6], unsigned int port,
	       uint64_t now)
{
	struct fdb_entry *e;

	if (fdb_is_group(mac))
		return;
	e = find(f, mac);
	if (e && e->port != port && fresh(f, e, now))
		f->moved++;
	if (!e) {
		e = victim(f, mac, now);
		memcpy(e->mac, mac, 6);
		e->used = 1;
		f->learned++;
	}
	e->port = (uint8_t)port;
	e->seen_ns = now;
}

int fdb_lookup(const struct fdb *f, const uint8_t mac[6], uint64_t now)
{
	const struct fdb_entry *e;

	if (fdb_is_group(mac))
		return -1;
	e = find(f, mac);
	return e && fresh(f, e, now) ? e->port : -1;
}
