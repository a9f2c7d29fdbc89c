/*
 * xen/gnttab.c - grant tables, version 1.
 *
 * Xen keeps the table in frames it owns and shares with us: for a PV
 * guest GNTTABOP_setup_table returns their machine frames, which we map
 * writable into one vmap range reserved for the most frames we will
 * ever use, so entry r is always table[r]. The table grows (setup_table
 * with a larger count) when the free list runs dry, up to Xen's limit.
 *
 * v1 entry protocol: we write frame and domid, then flags; Xen pins an
 * entry by setting GTF_reading/GTF_writing with a compare-and-swap that
 * requires GTF_permit_access. Ending access is the mirror image: clear
 * flags with a compare-and-swap only while neither bit is set, so Xen
 * either sees the grant gone or we see it busy, never both.
 */
#include <errno.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/gnttab.h>
#include <minnow/mm.h>
#include "xen/abi.h"
#include <xen/grant_table.h>
#include "arch/x86_64/arch.h"
#include "arch/x86_64/hypercall_raw.h"
#include "xen/gnttab_alloc.h"
#include "xen/hypervisor.h"

#define COPY_BATCH	32	/* GNTTABOP_copy ops per hypercall */

_Static_assert(GNTTAB_FIRST_REF == GNTTAB_NR_RESERVED_ENTRIES,
	       "reserved refs");
_Static_assert(GNTTAB_REFS_PER_FRAME * sizeof(grant_entry_v1_t) == PAGE_SIZE,
	       "v1 entries per frame");
_Static_assert(GNTTAB_DOMID_SELF == DOMID_SELF, "DOMID_SELF");

/* HYPERVISOR_grant_table_op - count operations of kind cmd at arg. */
static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *arg,
					     unsigned int count)
{
	return hypercall3(__HYPERVISOR_grant_table_op, cmd, arg, count);
}

static struct {
	grant_entry_v1_t *table;	/* vmap range of limit frames */
	unsigned int frames;		/* of those, mapped */
	unsigned int limit;		/* gnttab_frames_limit(Xen's max) */
	unsigned int xen_frames;	/* frames Xen had at init */
	int ready;
	struct gnttab_alloc alloc;
	unsigned long grows, end_busy;
} gt;

/* Scratch for hypercalls; nothing here sleeps, so one copy suffices. */
static xen_pfn_t frame_list[GNTTAB_FRAMES_LIMIT];
static struct gnttab_copy batch[COPY_BATCH];
static struct gnttab_copy_op *batch_op[COPY_BATCH];

/* status_errno - a GNTST_* status as -errno (see minnow/gnttab.h). */
static int status_errno(int16_t st)
{
	switch (st) {
	case GNTST_okay: return 0;
	case GNTST_bad_domain: return -ESRCH;
	case GNTST_bad_gntref: return -ENOENT;
	case GNTST_bad_handle: return -EBADF;
	case GNTST_bad_virt_addr: return -EFAULT;
	case GNTST_bad_dev_addr: return -EFAULT;
	case GNTST_no_device_space: return -ENOSPC;
	case GNTST_permission_denied: return -EACCES;
	case GNTST_bad_page: return -EFAULT;
	case GNTST_bad_copy_arg: return -EINVAL;
	case GNTST_address_too_big: return -E2BIG;
	case GNTST_eagain: return -EAGAIN;
	case GNTST_no_space: return -ENOSPC;
	default: return -EIO;		/* GNTST_general_error and unknown */
	}
}

/* frame_va - where frame i of the table is mapped. */
static void *frame_va(unsigned int i)
{
	return (char *)gt.table + (unsigned long)i * PAGE_SIZE;
}

/*
 * setup_table - make Xen's table n frames long; their machine frames
 * land in frame_list[0..n). 0, or -ENOMEM if Xen refuses.
 */
static int setup_table(unsigned int n)
{
	struct gnttab_setup_table op = { .dom = DOMID_SELF, .nr_frames = n };
	long rc;

	set_xen_guest_handle(op.frame_list, frame_list);
	rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &op, 1);
	if (rc || op.status != GNTST_okay) {
		printk("gnttab: Xen refused %u frames (rc %ld, status %d)\n",
		       n, rc, op.status);
		return -ENOMEM;
	}
	return 0;
}

/*
 * map_frames - map frames [from, to) of frame_list at their place in
 * the range. 0, or -errno with none of them left mapped.
 */
static int map_frames(unsigned int from, unsigned int to)
{
	for (unsigned int i = from; i < to; i++) {
		int rc = vmap_map(frame_va(i), frame_list[i], 1);

		if (rc) {
			while (i-- > from)
				vmap_unmap(frame_va(i));
			return rc;
		}
	}
	return 0;
}

/*
 * grow - the next size of gnttab_next_frames: Xen's table, our mapping
 * and the free list, all or nothing. 0; -ENOSPC at the limit; -ENOMEM.
 */
static int grow(void)
{
	unsigned int n = gnttab_next_frames(gt.frames, gt.xen_frames, gt.limit);
	uint32_t *next, *old = gt.alloc.next;
	int rc;

	if (n <= gt.frames)
		return -ENOSPC;
	next = page_alloc(gnttab_alloc_order(n), 0);
	if (!next)
		return -ENOMEM;
	rc = setup_table(n);
	if (!rc)
		rc = map_frames(gt.frames, n);
	if (rc) {
		page_free(next, gnttab_alloc_order(n));
		return rc;
	}
	gnttab_alloc_grow(&gt.alloc, next, n * GNTTAB_REFS_PER_FRAME);
	if (old)
		page_free(old, gnttab_alloc_order(gt.frames));
	gt.frames = n;
	gt.grows++;
	return 0;
}

/*
 * query_limits - ask Xen how large the table is and may become, and
 * reserve address space for the largest. 0, -ENODEV or -ENOMEM.
 */
static int query_limits(void)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);

	if (rc || q.status != GNTST_okay || !q.max_nr_frames)
		return -ENODEV;
	gt.limit = gnttab_frames_limit(q.max_nr_frames);
	gt.xen_frames = q.nr_frames;
	gt.table = vmap_reserve(gt.limit);
	if (!gt.table)
		return -ENOMEM;
	gnttab_alloc_init(&gt.alloc);
	return 0;
}

int gnttab_init(void)
{
	int rc;

	if (gt.ready)
		return 0;
	if (!gt.table) {
		rc = query_limits();
		if (rc)
			return rc;
	}
	rc = grow();
	if (rc)
		return rc == -ENOSPC ? -ENODEV : rc;
	gt.ready = 1;
	return 0;
}

/* entry_flags - the flags word of ref's entry, shared with Xen. */
static uint16_t *entry_flags(gnttab_ref_t ref)
{
	return &gt.table[ref].flags;
}

/* write_entry - make ref a live grant of mfn to domid. */
static void write_entry(gnttab_ref_t ref, uint16_t domid, uint64_t mfn,
			int readonly)
{
	grant_entry_v1_t *e = &gt.table[ref];
	uint16_t flags = GTF_permit_access | (readonly ? GTF_readonly : 0);

	e->frame = (uint32_t)mfn;
	e->domid = domid;
	/* Xen must see frame and domid before flags make the entry live. */
	__atomic_store_n(&e->flags, flags, __ATOMIC_RELEASE);
}

int gnttab_grant_access(uint16_t domid, uint64_t mfn, int readonly,
			gnttab_ref_t *ref)
{
	uint32_t r;
	int rc = gnttab_init();

	if (rc)
		return rc;
	if (mfn > UINT32_MAX)
		return -EINVAL;
	while (gnttab_alloc_get(&gt.alloc, &r)) {
		rc = grow();		/* each growth adds free refs */
		if (rc)
			return rc;
	}
	write_entry(r, domid, mfn, readonly);
	*ref = r;
	return 0;
}

int gnttab_grant_ref(gnttab_ref_t ref, uint16_t domid, uint64_t mfn,
		     int readonly)
{
	if (!gt.ready || !gnttab_alloc_is_held(&gt.alloc, ref) ||
	    mfn > UINT32_MAX)
		return -EINVAL;
	if (__atomic_load_n(entry_flags(ref), __ATOMIC_ACQUIRE))
		return -EBUSY;
	write_entry(ref, domid, mfn, readonly);
	return 0;
}

int gnttab_end_access(gnttab_ref_t ref)
{
	uint16_t *p, flags;

	if (!gt.ready || !gnttab_alloc_is_held(&gt.alloc, ref))
		return -EINVAL;
	p = entry_flags(ref);
	flags = __atomic_load_n(p, __ATOMIC_ACQUIRE);
	do {
		if (flags & (GTF_reading | GTF_writing)) {
			gt.end_busy++;
			return -EBUSY;
		}
		/* On failure flags holds what Xen wrote meanwhile: recheck. */
	} while (!__atomic_compare_exchange_n(p, &flags, 0, 0, __ATOMIC_SEQ_CST,
					      __ATOMIC_ACQUIRE));
	return 0;
}

int gnttab_release(gnttab_ref_t ref)
{
	if (!gt.ready || !gnttab_alloc_is_held(&gt.alloc, ref))
		return -EINVAL;
	if (__atomic_load_n(entry_flags(ref), __ATOMIC_ACQUIRE))
		return -EBUSY;
	return gnttab_alloc_put(&gt.alloc, ref);
}

int gnttab_map_ref(uint16_t domid, gnttab_ref_t ref, void *va, int readonly,
		   uint32_t *handle)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = (uint64_t)(uintptr_t)va,
		.flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
		.ref = ref,
		.dom = domid,
	};
	long rc;

	if ((uintptr_t)va & (PAGE_SIZE - 1))
		return -EINVAL;
	rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);
	if (rc)
		return xen_errno(rc);
	if (op.status != GNTST_okay)
		return status_errno(op.status);
	*handle = op.handle;
	return 0;
}

int gnttab_unmap_ref(void *va, uint32_t handle)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = (uint64_t)(uintptr_t)va,
		.handle = handle,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

	return rc ? xen_errno(rc) : status_errno(op.status);
}

/*
 * copy_side - one side of op in Xen's form; flag marks a ref side.
 * 0, or -EINVAL for a range past the page or a ref beyond 32 bits.
 */
static int copy_side(const struct gnttab_copy_side *s, uint16_t len,
		     struct gnttab_copy_ptr *p, uint16_t *flags, uint16_t flag)
{
	if ((unsigned long)s->offset + len > PAGE_SIZE)
		return -EINVAL;
	if (s->is_ref) {
		if (s->frame > UINT32_MAX)
			return -EINVAL;
		p->u.ref = (grant_ref_t)s->frame;
		*flags |= flag;
	} else {
		p->u.gmfn = s->frame;
	}
	p->domid = s->domid;
	p->offset = s->offset;
	return 0;
}

/* copy_prepare - op in Xen's form in *x. 0 or -EINVAL. */
static int copy_prepare(const struct gnttab_copy_op *op, struct gnttab_copy *x)
{
	int rc;

	memset(x, 0, sizeof(*x));
	x->len = op->len;
	rc = copy_side(&op->src, op->len, &x->source, &x->flags,
		       GNTCOPY_source_gref);
	return rc ? rc : copy_side(&op->dst, op->len, &x->dest, &x->flags,
				   GNTCOPY_dest_gref);
}

/* copy_flush - issue the first k ops of batch; how many failed. */
static unsigned int copy_flush(unsigned int k)
{
	unsigned int failed = 0;
	long rc;

	if (!k)
		return 0;
	rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, batch, k);
	for (unsigned int i = 0; i < k; i++) {
		int st = rc ? xen_errno(rc) : status_errno(batch[i].status);

		batch_op[i]->status = (int16_t)st;
		failed += st != 0;
	}
	return failed;
}

int gnttab_copy(struct gnttab_copy_op *ops, unsigned int n)
{
	unsigned int k = 0, failed = 0;

	for (unsigned int i = 0; i < n; i++) {
		int rc = copy_prepare(&ops[i], &batch[k]);

		if (rc) {
			ops[i].status = (int16_t)rc;
			failed++;
			continue;
		}
		batch_op[k++] = &ops[i];
		if (k == COPY_BATCH) {
			failed += copy_flush(k);
			k = 0;
		}
	}
	return (int)(failed + copy_flush(k));
}

void gnttab_stats_get(struct gnttab_stats *s)
{
	s->refs_in_use = gt.alloc.nr_held;
	s->refs_free = gt.alloc.nr_free;
	s->frames = gt.frames;
	s->max_frames = gt.limit;
	s->grows = gt.grows;
	s->end_busy = gt.end_busy;
}
