/*
 * test_kvscan.c - kvstore's recovery scan over logs in memory: a clean
 * log, a log cut at every sector, a record damaged at every sector, a
 * stale record of an earlier region use, a record out of sequence, a
 * full region, damage in the middle told apart from a torn tail, and a
 * failing read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "examples/kvstore/kvrec.c"
#include "examples/kvstore/kvscan.c"
#include "unit.h"

#define ALIGN		512
#define REGION_OFF	8192
#define REGION		(2 << 20)
#define NONCE		0x1122334455667788ull
#define WINDOW		(64 * 1024)
#define BUF_LEN		(512 * 1024)

static uint8_t disk[REGION_OFF + REGION];
static uint8_t scratch[BUF_LEN];
static int fail_reads_at = -1, reads;

/* A log of records with varied sizes; where each one starts. */
static uint64_t rec_off[REGION / ALIGN + 1];
static int nrec;
static uint64_t log_end;

struct seen {
	int n;
	uint64_t last_seq;
	int bad;
};

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	(void)ctx;
	if (reads++ == fail_reads_at)
		return -EIO;
	if (off + len > sizeof(disk))
		return -EINVAL;
	memcpy(buf, disk + off, len);
	return 0;
}

static void count_apply(void *ctx, const struct kvrec *r, uint64_t off,
			size_t size)
{
	struct seen *s = ctx;

	if (r->seq != (uint64_t)s->n + 1 || off != rec_off[s->n] || !size)
		s->bad++;
	s->n++;
	s->last_seq = r->seq;
}

/* append - one record with this seq and nonce at off; its size. */
static size_t append(uint64_t off, uint64_t seq, uint64_t nonce, uint32_t vlen)
{
	static uint8_t val[8192];
	char key[32];
	struct kvrec r;

	memset(val, (int)(seq & 0xff), sizeof(val));
	snprintf(key, sizeof(key), "key:%llu", (unsigned long long)seq);
	r = (struct kvrec){ .type = KVREC_SET, .seq = seq, .nonce = nonce,
			    .key = (const uint8_t *)key, .klen = (uint32_t)strlen(key),
			    .value = val, .vlen = vlen };
	return kvrec_encode(&r, ALIGN, disk + off, sizeof(disk) - off);
}

/* build - a fresh disk: n records of sizes cycling 1 to 3 sectors. */
static void build(int n)
{
	uint64_t off = REGION_OFF;

	memset(disk, 0, sizeof(disk));
	for (int i = 0; i < n; i++) {
		rec_off[i] = off;
		off += append(off, (uint64_t)i + 1, NONCE, (uint32_t)(i % 3) * 400 + 3);
	}
	nrec = n;
	log_end = off;
}

static int scan(struct kvscan_result *res, struct seen *s, int lookahead)
{
	struct kvscan_params p = {
		.read = mem_read, .apply = count_apply, .ctx = s,
		.region_off = REGION_OFF, .region_size = REGION, .align = ALIGN,
		.nonce = NONCE, .first_seq = 1, .window = WINDOW,
		.lookahead = lookahead, .buf = scratch, .buf_len = BUF_LEN,
	};

	memset(s, 0, sizeof(*s));
	reads = 0;
	return kvscan_run(&p, res);
}

static void clean_log(void)
{
	struct kvscan_result res;
	struct seen s;

	build(300);
	EXPECT(scan(&res, &s, 1) == 0, "scan failed");
	EXPECT(res.stop == KVSCAN_CLEAN && res.records == 300 && s.n == 300 &&
	       !s.bad && res.end == log_end && res.next_seq == 301 &&
	       !res.later_records, "stop %d records %llu end %llu (want %llu) bad %d",
	       res.stop, (unsigned long long)res.records,
	       (unsigned long long)res.end, (unsigned long long)log_end, s.bad);
	build(0);
	EXPECT(scan(&res, &s, 1) == 0 && res.records == 0 &&
	       res.end == REGION_OFF && res.stop == KVSCAN_CLEAN, "empty log");
}

/* cut_everywhere - the log as if the last record's write stopped after
 * each of its sectors (later sectors still zero): that record is
 * dropped as torn, all before it kept. */
static void cut_everywhere(void)
{
	struct kvscan_result res;
	struct seen s;

	build(30);
	for (int k = 0; k < nrec; k++) {
		uint64_t start = rec_off[k], end = k + 1 < nrec ? rec_off[k + 1] : log_end;

		for (uint64_t cut = start; cut < end; cut += ALIGN) {
			build(k + 1);
			memset(disk + cut, 0, end - cut);
			EXPECT(scan(&res, &s, 1) == 0, "scan");
			EXPECT(res.records == (uint64_t)k && res.end == start &&
			       !s.bad && !res.later_records &&
			       res.stop == (cut == start ? KVSCAN_CLEAN : KVSCAN_TORN),
			       "record %d cut at +%llu: %llu records, end %llu, stop %d",
			       k, (unsigned long long)(cut - start),
			       (unsigned long long)res.records,
			       (unsigned long long)res.end, res.stop);
		}
	}
}

/* later_than - how many records of the log start at least WINDOW
 * bytes after record k. */
static int later_than(int k)
{
	int later = 0;

	for (int i = k + 1; i < nrec; i++)
		later += rec_off[i] >= rec_off[k] + WINDOW;
	return later;
}

/* damage_each - one byte of record k changed: the chain ends at k; the
 * records after it are found past the window (damage in the middle)
 * when they lie beyond it, and never applied. */
static void damage_each(void)
{
	struct kvscan_result res;
	struct seen s;

	for (int k = 0; k < 300; k += 37) {
		build(300);
		disk[rec_off[k] + 45] ^= 0x55;
		EXPECT(scan(&res, &s, 1) == 0, "scan");
		EXPECT(res.stop == KVSCAN_TORN && res.code == KVREC_BADCRC &&
		       res.records == (uint64_t)k && res.end == rec_off[k] && !s.bad,
		       "damage in %d: stop %d code %d records %llu", k, res.stop,
		       res.code, (unsigned long long)res.records);
		{
			int later = later_than(k);

			EXPECT(res.later_records == (uint64_t)later &&
			       (!later || res.later_off >= rec_off[k] + WINDOW),
			       "damage in %d: %llu later records, want %d", k,
			       (unsigned long long)res.later_records, later);
		}
		EXPECT(scan(&res, &s, 0) == 0 && !res.later_records,
		       "without lookahead nothing past the stop is read");
	}
	/* A zeroed sector in the middle (a lost write) is caught too. */
	build(300);
	memset(disk + rec_off[10], 0, ALIGN);
	EXPECT(scan(&res, &s, 1) == 0 && res.stop == KVSCAN_CLEAN &&
	       res.records == 10 && res.later_records == (uint64_t)later_than(10),
	       "lost write: stop %d records %llu later %llu", res.stop,
	       (unsigned long long)res.records,
	       (unsigned long long)res.later_records);
}

/* stale_and_sequence - a record of an earlier use of the region ends
 * the chain cleanly; one out of sequence ends it as such. */
static void stale_and_sequence(void)
{
	struct kvscan_result res;
	struct seen s;

	build(20);
	append(log_end, 21, NONCE ^ 1, 3);
	EXPECT(scan(&res, &s, 1) == 0 && res.stop == KVSCAN_CLEAN &&
	       res.records == 20 && res.end == log_end, "stale nonce: %d %llu",
	       res.stop, (unsigned long long)res.records);
	build(20);
	append(log_end, 25, NONCE, 3);
	EXPECT(scan(&res, &s, 1) == 0 && res.stop == KVSCAN_SEQ &&
	       res.records == 20 && res.end == log_end, "seq gap: %d %llu",
	       res.stop, (unsigned long long)res.records);
	/* A header with impossible lengths (a SET without a key). */
	build(20);
	append(log_end, 21, NONCE, 3);
	memset(disk + log_end + 24, 0, 4);
	EXPECT(scan(&res, &s, 1) == 0 && res.stop == KVSCAN_TORN &&
	       res.code == KVREC_BADHDR && res.records == 20 &&
	       res.end == log_end, "bad header: %d %d %llu", res.stop, res.code,
	       (unsigned long long)res.records);
}

/* full_region - records up to the last byte: stop "full". */
static void full_region(void)
{
	struct kvscan_result res;
	struct seen s;
	uint64_t off = REGION_OFF;
	int n = 0;

	memset(disk, 0, sizeof(disk));
	while (off < REGION_OFF + REGION) {
		rec_off[n] = off;
		off += append(off, (uint64_t)n + 1, NONCE, 100);
		n++;
	}
	EXPECT(scan(&res, &s, 1) == 0 && res.stop == KVSCAN_FULL &&
	       res.records == (uint64_t)n && res.end == REGION_OFF + REGION &&
	       !s.bad, "full: stop %d records %llu of %d", res.stop,
	       (unsigned long long)res.records, n);
}

/* read_error - a failing read ends the scan with its error. */
static void read_error(void)
{
	struct kvscan_result res;
	struct seen s;
	int rc;

	build(300);
	fail_reads_at = 1;
	rc = scan(&res, &s, 1);
	fail_reads_at = -1;
	EXPECT(rc == -EIO, "rc %d", rc);
}

static void bad_params(void)
{
	struct kvscan_result res;
	struct seen s;
	struct kvscan_params p = {
		.read = mem_read, .apply = count_apply, .ctx = &s,
		.region_off = REGION_OFF + 100, .region_size = REGION,
		.align = ALIGN, .buf = scratch, .buf_len = BUF_LEN,
	};

	EXPECT(kvscan_run(&p, &res) == -EINVAL, "misaligned region");
	p.region_off = REGION_OFF;
	p.buf_len = 4096;
	EXPECT(kvscan_run(&p, &res) == -EINVAL, "buffer smaller than a record");
}

static const struct unit units[] = {
	UNIT(clean_log), UNIT(cut_everywhere), UNIT(damage_each),
	UNIT(stale_and_sequence), UNIT(full_region), UNIT(read_error),
	UNIT(bad_params),
};

int main(void)
{
	return RUN_UNITS("kvscan", units);
}
