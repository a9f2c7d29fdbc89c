/*
 * minnow/blkfront.h - disks through Xen's blkfront/blkback.
 *
 * One struct blkfront per virtual disk (xl `disk=[...]`), named by its
 * xenstore device id (the vbd's "virtual-device" number: 51712 for
 * xvda, 51728 for xvdb...); blkfront_list gives the ids this domain has.
 *
 * Positions and lengths are in bytes. A request's offset, length and
 * buffer address must all be multiples of the disk's logical sector
 * size, and offset + length must lie inside the disk; anything else is
 * refused with -EINVAL before the backend sees it. Writes (and flushes)
 * to a read-only disk get -EROFS.
 *
 * Data goes through pages granted to the backend once and reused
 * (persistent grants when the backend offers them), so the caller's
 * buffer may be any memory. A request larger than one ring slot carries
 * is split across several slots; when every slot is busy, requests wait
 * in a FIFO queue inside the device (submission never fails for lack
 * of slots and never blocks).
 *
 * The backend (another domain) is not trusted: every ring response is
 * copied once and checked (id in range and in flight, operation as
 * sent, status known). A bad one marks the device broken, with a
 * console message: every request in flight or queued then completes
 * with -EIO, and new ones are refused with -EIO. It never crashes the
 * guest. Errors are negative errno values.
 *
 * When the backend closes the disk (`xl block-detach`, the backend
 * domain going away) the device stops by itself: requests in flight or
 * queued complete with -EIO (their pages stay out of use until the
 * backend has unmapped them), new ones are refused with -ENODEV, and our
 * side walks to Closed so that the detach completes. blkfront_close()
 * is still needed to free it.
 *
 * Completion callbacks run in the device's own thread ("blkfront-<id>"),
 * never in an event handler and never inside blkfront_submit, so they
 * may block or submit more requests.
 */
#ifndef MINNOW_BLKFRONT_H
#define MINNOW_BLKFRONT_H

#include <stddef.h>
#include <stdint.h>
#include <minnow/list.h>

struct blkfront;

/* How the device makes writes durable (blkfront_info.flush). */
enum {
	BLKFRONT_FLUSH_NONE,	/* the backend offers neither: -EOPNOTSUPP */
	BLKFRONT_FLUSH_CACHE,	/* BLKIF_OP_FLUSH_DISKCACHE */
	BLKFRONT_FLUSH_BARRIER,	/* BLKIF_OP_WRITE_BARRIER */
};

/* What the backend told us about the disk, validated at open. */
struct blkfront_info {
	unsigned int id;		/* xenstore device id */
	uint64_t sectors;		/* size in 512-byte units */
	uint32_t sector_size;		/* logical: a power of two, 512..4096 */
	uint32_t physical_sector_size;	/* a multiple of sector_size */
	int readonly;			/* info VDISK_READONLY or mode "r" */
	int removable;			/* info VDISK_REMOVABLE */
	int cdrom;			/* info VDISK_CDROM */
	int flush;			/* BLKFRONT_FLUSH_* */
	int persistent;			/* backend keeps our grants mapped */
	unsigned int max_indirect;	/* feature-max-indirect-segments (0) */
	unsigned int ring_pages;	/* pages of the shared ring */
	unsigned int ring_slots;	/* requests in flight at most */
	unsigned int max_segments;	/* 4 KiB pages per ring request */
};

enum { BLKFRONT_READ, BLKFRONT_WRITE, BLKFRONT_FLUSH };

struct blkfront_io;

/* A completion: status is 0, or -EIO / -EOPNOTSUPP / -ENOMEM / -ENOSPC. */
typedef void (*blkfront_done_fn)(struct blkfront_io *io, int status);

/*
 * One asynchronous request. The caller fills the first block and owns
 * the struct (and buf) until done is called; the rest is the driver's.
 * For BLKFRONT_FLUSH, offset, buf and len are ignored.
 */
struct blkfront_io {
	int op;				/* BLKFRONT_READ/WRITE/FLUSH */
	uint64_t offset;		/* bytes from the start of the disk */
	void *buf;
	size_t len;			/* bytes */
	blkfront_done_fn done;		/* called exactly once */
	void *arg;			/* for the caller */

	struct list link;		/* in the device's queue */
	size_t issued;			/* bytes handed to ring slots */
	unsigned int pending;		/* slots in flight */
	int all_sent;			/* no more slots to send */
	int status;
};

/*
 * blkfront_list - the ids of this domain's disks, ascending: up to max
 * in ids, the count returned (0 when there are none), or -errno.
 */
int blkfront_list(unsigned int *ids, int max);

/*
 * blkfront_open - connect disk id: the handshake with the backend, the
 * shared ring, then the disk's geometry and features, checked. 0 and
 * *out, or -ENODEV (no such disk), -ETIMEDOUT (the backend never got
 * ready), -EIO (the backend gave impossible values; a console message
 * says which), -ENOMEM, -ENOSPC (no grant refs).
 */
int blkfront_open(unsigned int id, struct blkfront **out);

/* blkfront_get_info - the disk's geometry and features. */
void blkfront_get_info(const struct blkfront *bf, struct blkfront_info *info);

/*
 * blkfront_submit - start io. 0: io->done(io, status) will be called
 * once, later, in the device's thread. Otherwise nothing was sent and
 * done is never called: -EINVAL (bad op, misaligned or out of range,
 * zero length, no callback), -EROFS (write or flush on a read-only
 * disk), -EOPNOTSUPP (flush, and the backend offers no way to flush),
 * -EIO (the device is broken or closing), -ENODEV (the backend closed
 * the disk).
 */
int blkfront_submit(struct blkfront *bf, struct blkfront_io *io);

/*
 * blkfront_read / blkfront_write / blkfront_flush - the same, waiting
 * for the completion: 0 or any error of blkfront_submit or of a
 * completion. A flush returns once every write completed before it is
 * durable (as durable as the backend's storage promises).
 */
int blkfront_read(struct blkfront *bf, uint64_t offset, void *buf, size_t len);
int blkfront_write(struct blkfront *bf, uint64_t offset, const void *buf,
		   size_t len);
int blkfront_flush(struct blkfront *bf);

struct blkfront_stats {
	unsigned long reads, writes, flushes;	/* completed requests */
	unsigned long ring_requests;		/* slots sent */
	unsigned long errors;			/* completions with an error */
	unsigned long ring_full;		/* times requests waited: no free slot */
};

void blkfront_stats_get(const struct blkfront *bf, struct blkfront_stats *s);

/*
 * blkfront_close - disconnect: requests still in flight or queued
 * complete with -EIO, the thread ends, both sides go to Closed (so dom0
 * releases the disk), grants are ended (a page the backend still holds
 * is leaked rather than reused) and memory is freed. Do not call from a
 * completion callback. 0 or -errno from the handshake (the device is
 * freed either way).
 */
int blkfront_close(struct blkfront *bf);

#endif
