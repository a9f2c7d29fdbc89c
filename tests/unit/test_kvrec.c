/*
 * test_kvrec.c - kvstore's on-disk formats: CRC-32C, record encode and
 * decode (limits, padding, every damaged byte and every truncation
 * detected), superblock layout, encode/decode and the choice between
 * the two slots.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "examples/kvstore/kvrec.c"
#include "unit.h"

static void crc_vector(void)
{
	/* The check value of CRC-32C. */
	EXPECT(kvrec_crc32c(0, "123456789", 9) == 0xe3069283u, "crc %08x",
	       kvrec_crc32c(0, "123456789", 9));
	EXPECT(kvrec_crc32c(kvrec_crc32c(0, "1234", 4), "56789", 5) ==
	       0xe3069283u, "a crc in two pieces differs");
}

/* set_rec - a SET record of key k and value v. */
static struct kvrec set_rec(const char *k, const void *v, uint32_t vlen,
			    uint64_t seq)
{
	struct kvrec r = { .type = KVREC_SET, .seq = seq, .nonce = 0xabcdef,
			   .key = (const uint8_t *)k, .klen = (uint32_t)strlen(k),
			   .value = v, .vlen = vlen };
	return r;
}

static void roundtrip(void)
{
	uint8_t buf[4096], val[600];
	struct kvrec r = set_rec("key:1", "\0bin\r\nary", 10, 77), d;
	size_t n, size;

	n = kvrec_encode(&r, 512, buf, sizeof(buf));
	EXPECT(n == 512, "size %zu", n);
	EXPECT(kvrec_decode(buf, n, 512, &d, &size) == KVREC_OK, "decode");
	EXPECT(size == 512 && d.type == KVREC_SET && d.seq == 77 &&
	       d.nonce == 0xabcdef && d.klen == 5 && d.vlen == 10 &&
	       !memcmp(d.key, "key:1", 5) && !memcmp(d.value, "\0bin\r\nary", 10),
	       "decoded fields differ");
	for (size_t i = 40 + 15; i < n; i++)
		EXPECT(!buf[i], "padding byte %zu is %u", i, buf[i]);
	memset(val, 'x', sizeof(val));
	r = set_rec("k", val, sizeof(val), 1);
	EXPECT(kvrec_encode(&r, 512, buf, sizeof(buf)) == 1024, "two sectors");
	EXPECT(kvrec_encode(&r, 4096, buf, sizeof(buf)) == 4096, "4k align");
	EXPECT(kvrec_size(0, 0, 512) == 512 && kvrec_size(4096, 0, 512) == 4608,
	       "kvrec_size");
	r = (struct kvrec){ .type = KVREC_DEL, .seq = 2, .key = (const uint8_t *)"k",
			    .klen = 1 };
	EXPECT(kvrec_encode(&r, 512, buf, sizeof(buf)) == 512 &&
	       kvrec_decode(buf, 512, 512, &d, &size) == KVREC_OK &&
	       d.type == KVREC_DEL && d.vlen == 0, "DEL record");
	r = (struct kvrec){ .type = KVREC_FLUSH, .seq = 3 };
	EXPECT(kvrec_encode(&r, 512, buf, sizeof(buf)) == 512 &&
	       kvrec_decode(buf, 512, 512, &d, &size) == KVREC_OK &&
	       d.type == KVREC_FLUSH && d.klen == 0, "FLUSH record");
}

static void limits(void)
{
	static uint8_t big[KVREC_VALUE_MAX + 8192];
	uint8_t key[KVREC_KEY_MAX + 1];
	struct kvrec r;

	memset(key, 'k', sizeof(key));
	r = set_rec("", "v", 1, 1);
	EXPECT(!kvrec_encode(&r, 512, big, sizeof(big)), "empty key taken");
	r = set_rec("k", big, KVREC_VALUE_MAX + 1, 1);
	EXPECT(!kvrec_encode(&r, 512, big + 1, sizeof(big) - 1), "value over max taken");
	r = (struct kvrec){ .type = KVREC_SET, .key = key, .klen = KVREC_KEY_MAX + 1 };
	EXPECT(!kvrec_encode(&r, 512, big, sizeof(big)), "key over max taken");
	r.klen = KVREC_KEY_MAX;
	EXPECT(kvrec_encode(&r, 512, big, sizeof(big)) == 4608, "max key");
	r = (struct kvrec){ .type = KVREC_DEL, .key = key, .klen = 1, .vlen = 1,
			    .value = key };
	EXPECT(!kvrec_encode(&r, 512, big, sizeof(big)), "DEL with a value taken");
	r = (struct kvrec){ .type = 9, .key = key, .klen = 1 };
	EXPECT(!kvrec_encode(&r, 512, big, sizeof(big)), "type 9 taken");
	r = set_rec("k", "v", 1, 1);
	EXPECT(!kvrec_encode(&r, 512, big, 511), "a record overran its buffer");
}

/* every_damage - flipping any byte of the header, key or value (not the
 * padding) makes the record undecodable. */
static void every_damage(void)
{
	uint8_t buf[1024];
	struct kvrec r = set_rec("some-key", "some value bytes", 16, 5), d;
	size_t n = kvrec_encode(&r, 512, buf, sizeof(buf)), size;

	for (size_t i = 0; i < 40 + 8 + 16; i++) {
		int rc;

		buf[i] ^= 0x20;
		rc = kvrec_decode(buf, n, 512, &d, &size);
		EXPECT(rc != KVREC_OK, "byte %zu flipped, still decodes", i);
		if (i < 4)
			EXPECT(rc == KVREC_NOMAGIC, "magic byte %zu: %d", i, rc);
		buf[i] ^= 0x20;
	}
	EXPECT(kvrec_decode(buf, n, 512, &d, &size) == KVREC_OK, "restored");
	/* A torn record: its second sector still holds older bytes. */
	{
		uint8_t two[1024], val[700];

		memset(val, 'v', sizeof(val));
		r = set_rec("k", val, sizeof(val), 9);
		n = kvrec_encode(&r, 512, two, sizeof(two));
		memset(two + 512, 0, 512);
		EXPECT(kvrec_decode(two, n, 512, &d, &size) == KVREC_BADCRC,
		       "a torn second sector is not a bad checksum");
		EXPECT(kvrec_decode(two, 512, 512, &d, &size) == KVREC_SHORT &&
		       size == 1024, "a short buffer: %zu", size);
	}
}

static void truncations(void)
{
	uint8_t buf[512], *cp;
	struct kvrec r = set_rec("k", "v", 1, 1), d;
	size_t n = kvrec_encode(&r, 512, buf, sizeof(buf)), size;

	for (size_t len = 0; len < n; len++) {
		int rc;

		cp = malloc(len ? len : 1);
		memcpy(cp, buf, len);
		rc = kvrec_decode(cp, len, 512, &d, &size);
		EXPECT(rc == KVREC_SHORT, "%zu bytes: %d", len, rc);
		free(cp);
	}
	memset(buf, 0, sizeof(buf));
	EXPECT(kvrec_decode(buf, 512, 512, &d, &size) == KVREC_NOMAGIC, "zeros");
}

static void superblock(void)
{
	uint8_t slot[4096] = { 0 };
	struct kvrec_sb sb, got, other;
	uint64_t disk = 64ull << 20;

	EXPECT(kvrec_sb_layout(disk, 512, 1 << 20, 42, &sb) == 0, "layout");
	EXPECT(sb.region_off[0] == 8192 && sb.region_size % 4096 == 0 &&
	       sb.region_off[1] == 8192 + sb.region_size &&
	       sb.region_off[1] + sb.region_size <= disk && sb.gen == 1 &&
	       sb.nonce == 42 && sb.first_seq == 1, "layout fields");
	EXPECT(kvrec_sb_layout(disk, 1000, 0, 1, &got) == -EINVAL, "align 1000");
	EXPECT(kvrec_sb_layout(1 << 20, 512, 1 << 20, 1, &got) == -ENOSPC,
	       "small disk");
	EXPECT(kvrec_sb_decode(slot, sizeof(slot), disk, &got) == -ENOENT, "blank");
	kvrec_sb_encode(&sb, slot);
	EXPECT(kvrec_sb_decode(slot, sizeof(slot), disk, &got) == 0 &&
	       !memcmp(&got, &sb, sizeof(sb)), "roundtrip");
	for (int i = 8; i < KVREC_SB_BYTES; i++) {
		slot[i] ^= 1;
		EXPECT(kvrec_sb_decode(slot, sizeof(slot), disk, &got) == -EILSEQ,
		       "byte %d flipped", i);
		slot[i] ^= 1;
	}
	EXPECT(kvrec_sb_decode(slot, sizeof(slot), disk / 2, &got) == -EILSEQ,
	       "regions past a smaller disk");
	other = sb;
	other.gen = 2;
	other.active = 1;
	EXPECT(kvrec_sb_pick(0, &sb, 0, &other) == 1, "newer slot 1");
	EXPECT(kvrec_sb_pick(0, &other, 0, &sb) == 0, "newer slot 0");
	EXPECT(kvrec_sb_pick(-EILSEQ, &other, 0, &sb) == 1, "torn slot 0");
	EXPECT(kvrec_sb_pick(0, &sb, -ENOENT, &other) == 0, "blank slot 1");
	EXPECT(kvrec_sb_pick(-ENOENT, &sb, -EILSEQ, &other) == -1, "neither");
}

static const struct unit units[] = {
	UNIT(crc_vector), UNIT(roundtrip), UNIT(limits), UNIT(every_damage),
	UNIT(truncations), UNIT(superblock),
};

int main(void)
{
	return RUN_UNITS("kvrec", units);
}
