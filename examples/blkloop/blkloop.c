/*
 * blkloop - reads its first disk over and over, 64 KiB at a time from
 * start to end, and reports what each pass met: how many reads worked,
 * how many failed with -EIO and where (the first and last failing
 * offsets), so a scenario can put a device-mapper `error` target under
 * part of the disk and check that exactly that part fails while the rest
 * keeps working. Every read of a pass is also checked against the
 * disk's pattern (8-byte words = byte offset XOR a seed, as blk.sh's).
 * When the disk goes away (`xl block-detach`) it says so and keeps
 * running until `xl shutdown`.
 *
 *   blkloop [SEED_HEX]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/blkfront.h>
#include <minnow/minnow.h>
#include <minnow/sched.h>

#define CHUNK	65536

static struct blkfront *disk;
static volatile int stopping, idle, closed;
static unsigned long long total_ok, total_eio, passes;

/* pattern_ok - buf (n bytes read at offset) holds the seed's pattern. */
static int pattern_ok(const uint64_t *buf, uint64_t offset, size_t n,
		      uint64_t seed)
{
	for (size_t i = 0; i < n / 8; i++)
		if (buf[i] != ((offset + i * 8) ^ seed))
			return 0;
	return 1;
}

struct pass {
	unsigned long ok, eio, wrong, other;
	long long first_eio, last_eio;	/* -1: none */
	int last_error;
};

/* one_pass - read the whole disk once; -ENODEV once the disk is gone. */
static int one_pass(uint64_t size, uint64_t seed, void *buf, struct pass *p)
{
	memset(p, 0, sizeof(*p));
	p->first_eio = p->last_eio = -1;
	for (uint64_t off = 0; off < size && !stopping; off += CHUNK) {
		size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		int rc = blkfront_read(disk, off, buf, n);

		if (rc == -ENODEV)
			return rc;
		if (rc == -EIO) {
			p->eio++;
			if (p->first_eio < 0)
				p->first_eio = (long long)off;
			p->last_eio = (long long)off;
		} else if (rc) {
			p->other++;
			p->last_error = rc;
		} else if (!pattern_ok(buf, off, n, seed)) {
			p->wrong++;
		} else {
			p->ok++;
		}
	}
	return 0;
}

/* on_shutdown - stop the loop, wait until main no longer touches the
 * disk (a read ends within the device's own bounded waits), close it. */
static void on_shutdown(int reason)
{
	(void)reason;
	stopping = 1;
	for (int i = 0; i < 1000 && !idle; i++)
		thread_sleep_ns(10000000ULL);
	printf("blkloop: stopped after %llu passes: %llu reads ok, %llu EIO; "
	       "close %d\n", passes, total_ok, total_eio, blkfront_close(disk));
	closed = 1;
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 16) : 0;
	struct blkfront_info info;
	unsigned int ids[4];
	struct pass p;
	void *buf = malloc(CHUNK);
	int rc;

	if (!buf || blkfront_list(ids, 4) < 1) {
		printf("blkloop: no disk\n");
		return 1;
	}
	rc = blkfront_open(ids[0], &disk);
	if (rc) {
		printf("blkloop: open: %s\n", strerror(-rc));
		return 1;
	}
	blkfront_get_info(disk, &info);
	minnow_set_shutdown_hook(on_shutdown);
	printf("blkloop: disk %u: %llu sectors\n", info.id,
	       (unsigned long long)info.sectors);
	while (!stopping) {
		rc = one_pass(info.sectors * 512, seed, buf, &p);
		if (rc == -ENODEV) {
			printf("blkloop: disk gone during pass %llu: %s\n",
			       passes + 1, strerror(-rc));
			break;
		}
		if (stopping)
			break;
		passes++;
		total_ok += p.ok;
		total_eio += p.eio;
		if (passes <= 3)
			printf("blkloop: pass %llu: %lu ok, %lu EIO (first %lld, "
			       "last %lld), %lu wrong, %lu other errors (%d)\n",
			       passes, p.ok, p.eio, p.first_eio, p.last_eio,
			       p.wrong, p.other, p.last_error);
	}
	if (rc == -ENODEV) {
		rc = blkfront_read(disk, 0, buf, 512);
		printf("blkloop: a read after that: %s\n", strerror(-rc));
	}
	/* The guest stays up (the disk gone or not) until told to stop:
	 * the scenario checks it still obeys `xl shutdown`. */
	idle = 1;
	while (!closed)
		thread_sleep_ns(100000000ULL);
	return 0;
}
