/*
 * minnow/gnttab.h - Xen grant tables (v1): let another domain map or
 * copy one of our pages, and copy between pages through Xen.
 *
 * A grant reference ("ref") names one page this domain shares with one
 * other domain; the ref, not the address, is what a frontend writes to
 * xenstore or a shared ring. The table starts at a few frames and grows
 * on demand up to the limit Xen sets for the domain; when every ref is
 * in use, granting fails with -ENOSPC at once (it never waits).
 *
 * Lifecycle of a ref: gnttab_grant_access hands one out (held by the
 * caller); gnttab_end_access revokes the other domain's right, which
 * fails with -EBUSY while that domain still has the page mapped or is
 * copying (retry later: the page must not be reused or freed until it
 * succeeds); then either gnttab_release gives the ref back, or
 * gnttab_grant_ref grants it again for another page.
 *
 * The other domain is not trusted: it can keep a page mapped forever,
 * so end_access may stay -EBUSY; nothing here waits for it.
 *
 * All functions run in thread context only, never from an event
 * handler (growing the table allocates memory). None of them sleeps,
 * so threads need no lock around them. Errors are negative errno
 * values.
 */
#ifndef MINNOW_GNTTAB_H
#define MINNOW_GNTTAB_H

#include <stdint.h>

typedef uint32_t gnttab_ref_t;

/*
 * gnttab_init - query Xen's limits and map the first frames of the
 * table. Idempotent, and done by the first call of any function below
 * if nobody called it: 0, or -errno (-ENODEV if Xen gives no grant
 * table, -ENOMEM); a later call tries again after a failure.
 */
int gnttab_init(void);

/*
 * gnttab_grant_access - let domain domid access machine frame mfn (from
 * virt_to_mfn), read-only if readonly is non-zero. 0 and the new ref in
 * *ref; -ENOSPC when the table is full at Xen's limit; -ENOMEM when
 * growing it needs memory we do not have; -EINVAL for an mfn that does
 * not fit a v1 entry (32 bits).
 */
int gnttab_grant_access(uint16_t domid, uint64_t mfn, int readonly,
			gnttab_ref_t *ref);

/*
 * gnttab_grant_ref - grant a ref the caller holds again, to domid for
 * mfn, after its access was ended (saves a release and a new grant).
 * 0; -EINVAL if ref is not held or mfn does not fit; -EBUSY if the ref
 * is still granted (end its access first).
 */
int gnttab_grant_ref(gnttab_ref_t ref, uint16_t domid, uint64_t mfn,
		     int readonly);

/*
 * gnttab_end_access - revoke the grant of ref, atomically, only if the
 * other domain neither maps nor copies the page at this moment. 0 when
 * revoked (or already ended): the page is ours again and the ref is
 * still held. -EBUSY if in use: nothing changed, try again later.
 * -EINVAL if ref is not held.
 */
int gnttab_end_access(gnttab_ref_t ref);

/*
 * gnttab_release - give a held ref back to the free list, after its
 * access was ended. 0; -EINVAL if ref is not held (a double release);
 * -EBUSY if it is still granted (the ref stays held: never recycled
 * while another domain may use it).
 */
int gnttab_release(gnttab_ref_t ref);

/*
 * gnttab_map_ref - map the page domain domid granted us as ref at va,
 * a page from vmap_reserve, read-only if readonly. 0 and the handle for
 * gnttab_unmap_ref in *handle, or -errno (the grant status, see below).
 * Works on our own grants too (domid = our own domain id).
 */
int gnttab_map_ref(uint16_t domid, gnttab_ref_t ref, void *va, int readonly,
		   uint32_t *handle);

/* gnttab_unmap_ref - undo gnttab_map_ref at va. 0 or -errno. */
int gnttab_unmap_ref(void *va, uint32_t handle);

#define GNTTAB_DOMID_SELF	0x7ff0	/* Xen's DOMID_SELF */

/*
 * One side of a copy: a frame of domain domid (for ourselves
 * GNTTAB_DOMID_SELF and the page's virt_to_mfn), or, with is_ref set,
 * the page domain domid granted us as ref (frame holds the ref).
 */
struct gnttab_copy_side {
	uint64_t frame;		/* machine frame, or a grant ref */
	uint16_t domid;
	uint16_t offset;	/* byte offset in the page */
	uint16_t is_ref;	/* non-zero: frame is a grant ref */
};

struct gnttab_copy_op {
	struct gnttab_copy_side src, dst;
	uint16_t len;		/* bytes; offset + len must stay in the page */
	int16_t status;		/* out: 0 or -errno */
};

/*
 * gnttab_copy - perform n copies through Xen (GNTTABOP_copy, in
 * batches), each independently: ops[i].status is 0 when op i copied,
 * else -errno. An op whose range leaves its page or whose ref does not
 * fit 32 bits gets -EINVAL without reaching Xen; if a hypercall itself
 * fails, each op of its batch gets its error. Returns how many ops
 * failed (0: all copied).
 *
 * Grant statuses (GNTST_*) as errno, here and for map/unmap: ref out
 * of the granter's table -ENOENT, bad domain -ESRCH, permission denied
 * -EACCES, bad page or address -EFAULT, range crosses a page -EINVAL,
 * try again -EAGAIN, out of space -ENOSPC, bad handle -EBADF; Xen's
 * general error (e.g. a ref not granted to us, or read-only) -EIO.
 */
int gnttab_copy(struct gnttab_copy_op *ops, unsigned int n);

struct gnttab_stats {
	unsigned int refs_in_use;	/* held by callers, reserved excluded */
	unsigned int refs_free;		/* on the free list now */
	unsigned int frames;		/* frames mapped */
	unsigned int max_frames;	/* the most we will grow to */
	unsigned long grows;		/* times the table grew */
	unsigned long end_busy;		/* end_access calls that got -EBUSY */
};

/* gnttab_stats_get - a snapshot of the counters (zeros before init). */
void gnttab_stats_get(struct gnttab_stats *s);

#endif
