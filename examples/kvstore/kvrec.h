/*
 * kvrec.h - kvstore's on-disk formats: log records and the superblock.
 * Pure code (no I/O), shared by the guest and the host unit tests.
 *
 * A record is a 40-byte header, the key, the value, then zero padding
 * up to the log's alignment (the disk's sector size), all little-endian:
 *
 *   0  u32 magic  "KVR1"          20 u8  type (SET, DEL, FLUSH)
 *   4  u32 crc    CRC32C, below   21 u8  0 (flags)   22 u16 0
 *   8  u64 seq    one per record  24 u32 key length
 *  16  u32 0                      28 u32 value length
 *  32  u64 nonce  the region's (set by each format/compaction)
 *
 * crc covers the header (with crc itself as 0), the key and the value;
 * padding is not covered. A torn record (a crash while its sectors were
 * being written) fails the check. The nonce ties a record to one use of
 * a region, so records left there by an earlier use never count.
 *
 * The superblock lives in two slots (KVREC_SB_SLOT bytes each at the
 * start of the disk); generation G is written to slot G % 2, so a torn
 * superblock write leaves the previous generation readable. It names
 * the active region (two regions split the rest of the disk), the nonce
 * its records carry and the sequence number of its first record.
 */
#ifndef KVREC_H
#define KVREC_H

#include <stddef.h>
#include <stdint.h>

#define KVREC_MAGIC		0x3152564bu	/* "KVR1" */
#define KVREC_HDR		40
#define KVREC_KEY_MAX		4096
#define KVREC_VALUE_MAX		(256 * 1024)

enum { KVREC_SET = 1, KVREC_DEL = 2, KVREC_FLUSH = 3 };

/* A decoded record: key and value point into the buffer decoded. */
struct kvrec {
	int type;
	uint64_t seq;
	uint64_t nonce;
	const uint8_t *key;
	uint32_t klen;
	const uint8_t *value;
	uint32_t vlen;
};

/* kvrec_decode's results. */
enum {
	KVREC_OK = 0,
	KVREC_SHORT = -1,	/* the buffer ends inside the record */
	KVREC_NOMAGIC = -2,	/* no record starts here (zeros, other data) */
	KVREC_BADHDR = -3,	/* magic, but impossible type or lengths */
	KVREC_BADCRC = -4,	/* magic, sane header, wrong checksum */
};

/* kvrec_crc32c - CRC-32C (Castagnoli) of n bytes, continuing from crc
 * (start with 0). */
uint32_t kvrec_crc32c(uint32_t crc, const void *p, size_t n);

/*
 * kvrec_size - bytes a record with these lengths takes on disk, padded
 * to align (a power of two, 512..4096). Assumes lengths within limits.
 */
size_t kvrec_size(uint32_t klen, uint32_t vlen, uint32_t align);

/*
 * kvrec_encode - write record r (its key/value pointers are read) into
 * buf, padding included. Returns its size, or 0 if it does not fit in
 * cap or r breaks a limit (type, key 1..KVREC_KEY_MAX bytes for SET/DEL
 * and 0 for FLUSH, value up to KVREC_VALUE_MAX and only for SET).
 */
size_t kvrec_encode(const struct kvrec *r, uint32_t align, void *buf,
		    size_t cap);

/*
 * kvrec_decode - parse the record at the start of buf (len bytes).
 * KVREC_OK and *r (pointing into buf) with *size its padded size, or a
 * negative KVREC_* code. With KVREC_SHORT, *size (if non-zero) is how
 * many bytes the record needs, as its header claims.
 */
int kvrec_decode(const void *buf, size_t len, uint32_t align,
		 struct kvrec *r, size_t *size);

/* ---- superblock ---- */

#define KVREC_SB_MAGIC		0x31425553564b4e4dull	/* "MNKVSUB1" */
#define KVREC_SB_SLOT		4096
#define KVREC_SB_BYTES		72	/* encoded size (padded to a sector) */
#define KVREC_DATA_START	(2 * KVREC_SB_SLOT)

struct kvrec_sb {
	uint64_t gen;		/* higher is newer; 1 at format */
	uint32_t align;		/* record alignment (sector size) */
	uint32_t active;	/* 0 or 1: the region holding the log */
	uint64_t region_off[2];	/* byte offsets on the disk */
	uint64_t region_size;	/* bytes, both regions */
	uint64_t nonce;		/* carried by the active region's records */
	uint64_t first_seq;	/* seq of its first record */
};

/*
 * kvrec_sb_layout - a fresh superblock (gen 1, region 0 active) for a
 * disk of disk_bytes with sector size align: two equal regions after
 * the superblock slots, sizes multiples of 4096. -EINVAL if align is
 * not a power of two in 512..4096, -ENOSPC if a region would be smaller
 * than min_region bytes.
 */
int kvrec_sb_layout(uint64_t disk_bytes, uint32_t align, uint64_t min_region,
		    uint64_t nonce, struct kvrec_sb *sb);

/* kvrec_sb_encode - sb into buf (KVREC_SB_BYTES, the rest of a slot
 * should be zero). */
void kvrec_sb_encode(const struct kvrec_sb *sb, void *buf);

/*
 * kvrec_sb_decode - parse one slot of slot_len bytes for a disk of
 * disk_bytes: 0 and *sb when valid (magic, checksum, regions inside the
 * disk and apart, aligned); -ENOENT when the slot has no magic (blank),
 * -EILSEQ when it has the magic but is torn or inconsistent.
 */
int kvrec_sb_decode(const void *buf, size_t slot_len, uint64_t disk_bytes,
		    struct kvrec_sb *sb);

/*
 * kvrec_sb_pick - which of two decoded slots to use, given their
 * kvrec_sb_decode results: 0 or 1, or -1 if neither is valid.
 */
int kvrec_sb_pick(int rc0, const struct kvrec_sb *s0, int rc1,
		  const struct kvrec_sb *s1);

#endif
