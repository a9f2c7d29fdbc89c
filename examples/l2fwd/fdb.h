/*
 * fdb.h - the forwarding database of a learning Ethernet switch: which
 * port a station's MAC address was last seen on. Pure logic (no Minnow
 * calls), so the host unit tests run it as it is.
 *
 * A fixed table of FDB_SLOTS entries, open addressing with linear
 * probing. Entries age out after max_age_ns without a frame from that
 * station; when the table is full a new station replaces the oldest
 * entry of its probe window, so a flood of forged source addresses
 * costs flooding, never memory or correctness.
 */
#ifndef L2FWD_FDB_H
#define L2FWD_FDB_H

#include <stdint.h>

#define FDB_SLOTS	1024	/* a power of two */
#define FDB_PROBE	8	/* slots looked at per address */

struct fdb_entry {
	uint8_t mac[6];
	uint8_t used;
	uint8_t port;
	uint64_t seen_ns;
};

struct fdb {
	struct fdb_entry e[FDB_SLOTS];
	uint64_t max_age_ns;
	unsigned long learned, moved, evicted;
};

/* fdb_init - an empty table whose entries live max_age_ns. */
void fdb_init(struct fdb *f, uint64_t max_age_ns);

/* fdb_is_group - mac is a multicast or broadcast address (I/G bit). */
int fdb_is_group(const uint8_t mac[6]);

/*
 * fdb_learn - station mac was seen on port at time now. Group addresses
 * are never learned (they are not stations); a station seen on another
 * port moves there.
 */
void fdb_learn(struct fdb *f, const uint8_t mac[6], unsigned int port,
	       uint64_t now);

/*
 * fdb_lookup - the port a frame to mac goes out of: >= 0, or -1 when it
 * must be flooded (a group address, a station not known or aged out).
 */
int fdb_lookup(const struct fdb *f, const uint8_t mac[6], uint64_t now);

#endif
