/*
 * kvrec.c - kvstore's record and superblock formats (see kvrec.h).
 */
#include <errno.h>
#include <string.h>
#include "kvrec.h"

/* The reflected CRC-32C polynomial. */
#define CRC32C_POLY	0x82f63b78u

static uint32_t crc_table[256];

/* crc_table_init - the byte-at-a-time table, once. */
static void crc_table_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (c & 1 ? CRC32C_POLY : 0);
		crc_table[i] = c;
	}
}

uint32_t kvrec_crc32c(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;

	if (!crc_table[1])
		crc_table_init();
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* Little-endian loads and stores. */
static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

size_t kvrec_size(uint32_t klen, uint32_t vlen, uint32_t align)
{
	size_t n = KVREC_HDR + (size_t)klen + vlen;

	return (n + align - 1) & ~((size_t)align - 1);
}

/* lengths_ok - do type and lengths obey the limits? */
static int lengths_ok(int type, uint32_t klen, uint32_t vlen)
{
	switch (type) {
	case KVREC_SET:
		return klen >= 1 && klen <= KVREC_KEY_MAX &&
		       vlen <= KVREC_VALUE_MAX;
	case KVREC_DEL:
		return klen >= 1 && klen <= KVREC_KEY_MAX && vlen == 0;
	case KVREC_FLUSH:
		return klen == 0 && vlen == 0;
	default:
		return 0;
	}
}

/* record_crc - the checksum of a header (crc field taken as 0) and the
 * key and value that follow it. */
static uint32_t record_crc(const uint8_t *hdr, const uint8_t *key,
			   uint32_t klen, const uint8_t *value, uint32_t vlen)
{
	static const uint8_t zero[4];
	uint32_t c = kvrec_crc32c(0, hdr, 4);

	c = kvrec_crc32c(c, zero, 4);
	c = kvrec_crc32c(c, hdr + 8, KVREC_HDR - 8);
	c = kvrec_crc32c(c, key, klen);
	return kvrec_crc32c(c, value, vlen);
}

size_t kvrec_encode(const struct kvrec *r, uint32_t align, void *buf,
		    size_t cap)
{
	uint8_t *b = buf;
	size_t size;

	if (!lengths_ok(r->type, r->klen, r->vlen))
		return 0;
	size = kvrec_size(r->klen, r->vlen, align);
	if (size > cap)
		return 0;
	memset(b, 0, KVREC_HDR);
	put32(b, KVREC_MAGIC);
	put64(b + 8, r->seq);
	b[20] = (uint8_t)r->type;
	put32(b + 24, r->klen);
	put32(b + 28, r->vlen);
	put64(b + 32, r->nonce);
	if (r->klen)
		memcpy(b + KVREC_HDR, r->key, r->klen);
	if (r->vlen)
		memcpy(b + KVREC_HDR + r->klen, r->value, r->vlen);
	memset(b + KVREC_HDR + r->klen + r->vlen, 0,
	       size - KVREC_HDR - r->klen - r->vlen);
	put32(b + 4, record_crc(b, b + KVREC_HDR, r->klen,
				b + KVREC_HDR + r->klen, r->vlen));
	return size;
}

int kvrec_decode(const void *buf, size_t len, uint32_t align,
		 struct kvrec *r, size_t *size)
{
	const uint8_t *b = buf;
	uint32_t klen, vlen;
	size_t need;

	*size = 0;
	if (len < KVREC_HDR)
		return len >= 4 && get32(b) != KVREC_MAGIC ? KVREC_NOMAGIC
							   : KVREC_SHORT;
	if (get32(b) != KVREC_MAGIC)
		return KVREC_NOMAGIC;
	klen = get32(b + 24);
	vlen = get32(b + 28);
	if (!lengths_ok(b[20], klen, vlen) || b[21] || b[22] || b[23] ||
	    get32(b + 16))
		return KVREC_BADHDR;
	need = kvrec_size(klen, vlen, align);
	if (len < need) {
		*size = need;
		return KVREC_SHORT;
	}
	if (get32(b + 4) != record_crc(b, b + KVREC_HDR, klen,
				       b + KVREC_HDR + klen, vlen))
		return KVREC_BADCRC;
	r->type = b[20];
	r->seq = get64(b + 8);
	r->nonce = get64(b + 32);
	r->key = b + KVREC_HDR;
	r->klen = klen;
	r->value = b + KVREC_HDR + klen;
	r->vlen = vlen;
	*size = need;
	return KVREC_OK;
}

/* ---- superblock ---- */

/* align_ok - a power of two from 512 to 4096? */
static int align_ok(uint32_t a)
{
	return a >= 512 && a <= 4096 && !(a & (a - 1));
}

int kvrec_sb_layout(uint64_t disk_bytes, uint32_t align, uint64_t min_region,
		    uint64_t nonce, struct kvrec_sb *sb)
{
	uint64_t region;

	if (!align_ok(align))
		return -EINVAL;
	if (disk_bytes < KVREC_DATA_START)
		return -ENOSPC;
	region = ((disk_bytes - KVREC_DATA_START) / 2) & ~4095ull;
	if (!region || region < min_region)
		return -ENOSPC;
	memset(sb, 0, sizeof(*sb));
	sb->gen = 1;
	sb->align = align;
	sb->active = 0;
	sb->region_off[0] = KVREC_DATA_START;
	sb->region_off[1] = KVREC_DATA_START + region;
	sb->region_size = region;
	sb->nonce = nonce;
	sb->first_seq = 1;
	return 0;
}

/* Superblock layout: magic 0, crc 8 (over 16..72), gen 16, align 24,
 * active 28, region_off 32 and 40, region_size 48, nonce 56,
 * first_seq 64. */
void kvrec_sb_encode(const struct kvrec_sb *sb, void *buf)
{
	uint8_t *b = buf;

	memset(b, 0, KVREC_SB_BYTES);
	put64(b, KVREC_SB_MAGIC);
	put64(b + 16, sb->gen);
	put32(b + 24, sb->align);
	put32(b + 28, sb->active);
	put64(b + 32, sb->region_off[0]);
	put64(b + 40, sb->region_off[1]);
	put64(b + 48, sb->region_size);
	put64(b + 56, sb->nonce);
	put64(b + 64, sb->first_seq);
	put32(b + 8, kvrec_crc32c(0, b + 16, KVREC_SB_BYTES - 16));
}

/* sb_consistent - do sb's regions fit the disk, apart and aligned? */
static int sb_consistent(const struct kvrec_sb *sb, uint64_t disk_bytes)
{
	uint64_t r0 = sb->region_off[0], r1 = sb->region_off[1];
	uint64_t sz = sb->region_size;

	if (!align_ok(sb->align) || sb->active > 1 || !sb->gen || !sz)
		return 0;
	if ((r0 | r1 | sz) % sb->align || r0 < KVREC_DATA_START ||
	    r1 < KVREC_DATA_START)
		return 0;
	if (r0 > disk_bytes || sz > disk_bytes - r0 || r1 > disk_bytes ||
	    sz > disk_bytes - r1)
		return 0;
	return r0 + sz <= r1 || r1 + sz <= r0;
}

int kvrec_sb_decode(const void *buf, size_t slot_len, uint64_t disk_bytes,
		    struct kvrec_sb *sb)
{
	const uint8_t *b = buf;

	if (slot_len < KVREC_SB_BYTES || get64(b) != KVREC_SB_MAGIC)
		return -ENOENT;
	if (get32(b + 8) != kvrec_crc32c(0, b + 16, KVREC_SB_BYTES - 16) ||
	    get32(b + 12))
		return -EILSEQ;
	sb->gen = get64(b + 16);
	sb->align = get32(b + 24);
	sb->active = get32(b + 28);
	sb->region_off[0] = get64(b + 32);
	sb->region_off[1] = get64(b + 40);
	sb->region_size = get64(b + 48);
	sb->nonce = get64(b + 56);
	sb->first_seq = get64(b + 64);
	return sb_consistent(sb, disk_bytes) ? 0 : -EILSEQ;
}

int kvrec_sb_pick(int rc0, const struct kvrec_sb *s0, int rc1,
		  const struct kvrec_sb *s1)
{
	if (rc0 && rc1)
		return -1;
	if (rc0)
		return 1;
	if (rc1)
		return 0;
	return s1->gen > s0->gen ? 1 : 0;
}
