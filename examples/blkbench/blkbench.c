/*
 * blkbench - the Minnow half of the disk benchmarks (scripts/iobench.sh);
 * bench/linux/io.c runs the same four on Linux (O_DIRECT on /dev/xvda).
 * On the first disk, in this order:
 *
 *   disk_seq_write_1m   write the disk's first SIZE bytes in 1 MiB
 *                       requests, one at a time, then flush; again
 *                       until SECONDS have passed: MB/s
 *   disk_seq_read_1m    read them back the same way: MB/s
 *   disk_rand4k_qd1     4 KiB reads at random 4 KiB-aligned offsets
 *                       below SIZE, one at a time, for SECONDS: IOPS,
 *                       and the median latency in µs
 *   disk_rand4k_qd32    the same with 32 reads always in flight: IOPS
 *
 * Each result is a line "bench: KEY VALUE UNIT"; "bench: done" ends.
 *
 *   blkbench [SIZE_MIB [SECONDS]]      defaults: 128, 5
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/blkfront.h>
#include <minnow/minnow.h>
#include <minnow/sched.h>
#include <minnow/xen.h>

#define MIB		(1024 * 1024)
#define QD		32
#define LAT_MAX		200000		/* QD1 latencies kept for the median */

static struct blkfront *disk;
static uint64_t size, rng = 0x9e3779b97f4a7c15ull;

/* rand_off - a random 4 KiB-aligned offset below size (xorshift64). */
static uint64_t rand_off(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng % (size / 4096)) * 4096;
}

/* seconds_since - Xen time since t0, in seconds. */
static double seconds_since(uint64_t t0)
{
	return (double)(xen_time_ns() - t0) / 1e9;
}

/* seq - passes over [0, size) in 1 MiB requests, one at a time (each
 * write pass ends with a flush), until secs have passed: MB/s, or a
 * negative errno. */
static double seq(int write, void *buf, double secs)
{
	uint64_t t0 = xen_time_ns(), bytes = 0;
	int rc = 0;

	do {
		for (uint64_t off = 0; off < size && !rc; off += MIB)
			rc = write ? blkfront_write(disk, off, buf, MIB)
				   : blkfront_read(disk, off, buf, MIB);
		if (!rc && write)
			rc = blkfront_flush(disk);
		bytes += size;
	} while (!rc && seconds_since(t0) < secs);
	return rc ? rc : (double)bytes / MIB / seconds_since(t0);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* rand_qd1 - random 4 KiB reads one at a time for secs: IOPS, and the
 * median latency in *med_us. A negative errno on failure. */
static double rand_qd1(double secs, void *buf, double *med_us)
{
	static uint64_t lat[LAT_MAX];
	uint64_t t0 = xen_time_ns(), n = 0;
	double el;

	while ((el = seconds_since(t0)) < secs) {
		uint64_t t = xen_time_ns();
		int rc = blkfront_read(disk, rand_off(), buf, 4096);

		if (rc)
			return rc;
		if (n < LAT_MAX)
			lat[n] = xen_time_ns() - t;
		n++;
	}
	qsort(lat, n < LAT_MAX ? n : LAT_MAX, sizeof(lat[0]), cmp_u64);
	*med_us = n ? (double)lat[(n < LAT_MAX ? n : LAT_MAX) / 2] / 1000 : 0;
	return (double)n / el;
}

/* The QD32 run: every completion submits the next read until the end. */
static struct {
	struct blkfront_io io[QD];
	uint64_t end_ns, done;
	int in_flight, error;
	struct thread *waiter;
} q;

static void q_done(struct blkfront_io *io, int status)
{
	if (status && !q.error)
		q.error = status;
	if (!status)
		q.done++;
	if (!q.error && xen_time_ns() < q.end_ns) {
		io->offset = rand_off();
		if (!blkfront_submit(disk, io))
			return;
		q.error = -EIO;
	}
	if (!--q.in_flight)
		thread_wake(q.waiter);
}

/* rand_qd32 - random 4 KiB reads, QD of them in flight, for secs: IOPS. */
static double rand_qd32(double secs, uint8_t *bufs)
{
	uint64_t t0 = xen_time_ns();

	memset(&q, 0, sizeof(q));
	q.end_ns = t0 + (uint64_t)(secs * 1e9);
	q.waiter = thread_self();
	for (int i = 0; i < QD; i++) {
		q.io[i] = (struct blkfront_io){ .op = BLKFRONT_READ,
			.offset = rand_off(), .buf = bufs + i * 4096,
			.len = 4096, .done = q_done };
		if (blkfront_submit(disk, &q.io[i]))
			break;
		q.in_flight++;
	}
	while (q.in_flight)
		thread_block(0);
	return q.error ? q.error : (double)q.done / seconds_since(t0);
}

/* report - one result line, or the error. */
static void report(const char *key, double v, const char *unit)
{
	if (v < 0)
		printf("blkbench: %s failed: %s\n", key, strerror((int)-v));
	else
		printf("bench: %s %.1f %s\n", key, v, unit);
}

int main(int argc, char **argv)
{
	struct blkfront_info info;
	double secs = argc > 2 ? atof(argv[2]) : 5, med = 0, v;
	unsigned int id;
	uint8_t *buf;

	size = (uint64_t)(argc > 1 ? atoi(argv[1]) : 128) * MIB;
	if (blkfront_list(&id, 1) != 1 || blkfront_open(id, &disk)) {
		printf("blkbench: no disk\n");
		return 1;
	}
	blkfront_get_info(disk, &info);
	if (info.sectors * 512 < size)
		size = info.sectors * 512 / MIB * MIB;
	buf = aligned_alloc(4096, MIB);
	if (!buf || size < MIB || secs <= 0) {
		printf("blkbench: bad size or no memory\n");
		return 1;
	}
	memset(buf, 0x5a, MIB);
	printf("blkbench: %llu MiB of disk %u, %.0f s per run; ring %u "
	       "slots, %u segments, persistent %d, indirect %u\n",
	       (unsigned long long)(size / MIB), id, secs, info.ring_slots,
	       info.max_segments, info.persistent, info.max_indirect);
	report("disk_seq_write_1m", seq(1, buf, secs), "MB/s");
	report("disk_seq_read_1m", seq(0, buf, secs), "MB/s");
	v = rand_qd1(secs, buf, &med);
	report("disk_rand4k_qd1", v, "IOPS");
	if (v >= 0)
		report("disk_rand4k_qd1_latency", med, "us");
	report("disk_rand4k_qd32", rand_qd32(secs, buf), "IOPS");
	printf("bench: done\n");
	blkfront_close(disk);
	return 0;
}
