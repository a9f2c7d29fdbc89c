/*
 * blkfront/blkfront.h - blkfront internals shared by the data path
 * (blkfront.c), the handshake (blkfront_xs.c) and the pure request
 * logic (blkfront_req.c, also built into host unit tests).
 */
#ifndef MINNOW_BLKFRONT_INTERNAL_H
#define MINNOW_BLKFRONT_INTERNAL_H

#include <stdint.h>
#include <minnow/blkfront.h>
#include <minnow/evtchn.h>
#include <minnow/gnttab.h>
#include <minnow/sched.h>
#include <minnow/xenbus.h>
#include "xen/abi.h"

/* ring.h leaves the barriers to the includer. */
#define xen_mb()	__asm__ volatile("mfence" ::: "memory")
#define xen_rmb()	__asm__ volatile("lfence" ::: "memory")
#define xen_wmb()	__asm__ volatile("sfence" ::: "memory")
#include <xen/io/ring.h>
#include <xen/io/blkif.h>
#include <xen/io/xenbus.h>

#define BF_PAGE		4096u
#define BF_SECTOR	512u		/* the protocol's sector unit */
/* Pages (segments) one ring request carries: 11 direct; with indirect
 * descriptors up to this many (one indirect page holds 512): 128 KiB,
 * as Linux's blkfront sends by default. */
#define BF_MAX_SEGS	32u
#define BF_MAX_RING_ORDER	1u	/* up to 2 ring pages: 64 slots */
/* Pages one device grants at most: 1024, as many as Linux's blkback
 * keeps mapped per ring (max_pgrants = 1056). Each slot has its
 * indirect page; the data pages are one pool the slots in flight take
 * from (LIFO, so the pages just used are used again), granted and
 * allocated on first use and kept: at most 4 MiB per disk. */
#define BF_GRANT_BUDGET	1024u
/* The pool (the budget less one indirect page per slot, 32 slots per
 * ring page) must hold the largest request. */
_Static_assert(BF_GRANT_BUDGET - (32u << BF_MAX_RING_ORDER) >= BF_MAX_SEGS,
	       "blkfront: the page pool cannot hold one request");
/* The largest disk we accept: 2^50 sectors (512 PiB). */
#define BF_MAX_SECTORS	(1ULL << 50)

/* A page shared with the backend for good (granted once, writable). */
struct bf_page {
	void *page;
	gnttab_ref_t ref;
	int granted;
};

/* One ring slot: the request in it and the pages it carries data in. */
struct bf_slot {
	struct blkfront_io *io;		/* NULL: free */
	size_t io_off;			/* where this chunk starts in io */
	uint32_t bytes;
	uint8_t op;			/* BLKIF_OP_READ/WRITE/FLUSH/BARRIER */
	uint8_t indirect;		/* sent as BLKIF_OP_INDIRECT */
	struct bf_page *pages[BF_MAX_SEGS];	/* from the pool */
	unsigned int npages;
	struct bf_page ind;		/* the indirect segment page */
};

struct blkfront {
	unsigned int id;
	struct xenbus_dev dev;
	struct blkfront_info info;
	evtchn_port_t port;
	int have_port;

	struct blkif_front_ring ring;
	struct bf_page ring_pages[1u << BF_MAX_RING_ORDER];
	void *ring_mem;			/* page_alloc(ring order) */
	unsigned int ring_order;

	struct bf_slot *slots;		/* ring_slots of them */
	uint16_t *free_ids;		/* stack of free slot ids */
	unsigned int nfree;
	struct bf_page *pool;		/* pool_size data pages */
	struct bf_page **pool_free;	/* stack of the free ones */
	unsigned int pool_size, pool_nfree;
	struct list queue;		/* ios waiting for slots */

	struct thread *thread;
	volatile int broken, stopping;
	volatile int gone;		/* the backend closed the disk */
	struct blkfront_stats stats;
};

/* --- pure request logic (blkfront_req.c) ---------------------------- */

/*
 * blkfront_check - may io (op, offset, buf address, len) go to a disk
 * described by info? 0, -EINVAL, -EROFS or -EOPNOTSUPP (see
 * blkfront_submit).
 */
int blkfront_check(const struct blkfront_info *info, int op, uint64_t offset,
		   uintptr_t buf, size_t len);

/*
 * blkfront_chunk - the bytes the next ring request of an io carries:
 * of len bytes, done already sent, at most max_segs pages.
 */
size_t blkfront_chunk(size_t len, size_t done, unsigned int max_segs);

/*
 * blkfront_fill_segs - describe a chunk of bytes (a multiple of 512)
 * laid out from the start of consecutive pages whose grants are refs:
 * one segment per page; the count returned (0 for an impossible size).
 */
unsigned int blkfront_fill_segs(size_t bytes, const gnttab_ref_t *refs,
				unsigned int max_segs,
				struct blkif_request_segment *segs);

/*
 * blkfront_geometry_bad - check what the backend said: NULL if info is
 * usable (physical_sector_size 0 becomes sector_size), else why not.
 */
const char *blkfront_geometry_bad(struct blkfront_info *info);

/* --- data path (blkfront.c) ----------------------------------------- */

/* blkfront_event - the device's event channel fired (event handler). */
void blkfront_event(evtchn_port_t port, void *arg);

/* blkfront_start - the slots, and the device thread. 0 or -ENOMEM. */
int blkfront_start(struct blkfront *bf);

/* blkfront_stop - fail what is in flight or queued, end the thread. */
void blkfront_stop(struct blkfront *bf);

/* blkfront_broken - mark bf unusable, saying why on the console; every
 * request in flight or queued completes with -EIO. */
void blkfront_broken(struct blkfront *bf, const char *why, unsigned long v);

/* blkfront_free_slots - end grants and free every slot's pages;
 * pages the backend still holds are counted in *leaked. */
void blkfront_free_slots(struct blkfront *bf, unsigned long *leaked);

/* bf_page_free - end a page's grant and free it (leaked if busy). */
void bf_page_free(struct bf_page *p, unsigned long *leaked);

#endif
