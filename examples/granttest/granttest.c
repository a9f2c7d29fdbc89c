/*
 * granttest - checks the grant table module (minnow/gnttab.h) from
 * inside a guest: growth, the end-access protocol, exhaustion, and
 * GNTTABOP_copy/map on our own pages. Prints one verdict line per check
 * ("granttest: PASS <name>" or "granttest: FAIL <name>: <check_why>") and a
 * summary; exits non-zero if any check failed.
 *
 *   granttest [check...]    run only the named checks
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/evtchn.h>
#include <minnow/gnttab.h>
#include <minnow/check.h>
#include <minnow/minnow.h>
#include <minnow/mm.h>
#include <minnow/xenstore.h>

#define PAGE		MM_PAGE_SIZE
#define REFS_PER_FRAME	512

static uint16_t self_id;		/* our domain id, from xenstore */

/* FAIL - remember check_why the current check failed; evaluates to -1. */
#define FAIL CHECK_FAIL

/* stats - the module's counters now. */
static struct gnttab_stats stats(void)
{
	struct gnttab_stats s;

	gnttab_stats_get(&s);
	return s;
}

/* page - a zeroed page, or exit: nothing can be checked without one. */
static unsigned char *page(void)
{
	unsigned char *p = page_alloc(0, 1);

	if (!p) {
		printf("granttest: out of pages\n");
		exit(1);
	}
	return p;
}

/* fill - a recognisable pattern for page p, seeded by seed. */
static void fill(unsigned char *p, unsigned int seed)
{
	for (unsigned int i = 0; i < PAGE; i++)
		p[i] = (unsigned char)(i * 7 + seed);
}

/* revoke - end access and release ref; the first error, or 0. */
static int revoke(gnttab_ref_t ref)
{
	int rc = gnttab_end_access(ref);

	return rc ? rc : gnttab_release(ref);
}

/* --- checks ----------------------------------------------------- */

static int check_init(void)
{
	struct gnttab_stats s;
	int rc;

	if ((rc = gnttab_init()))
		return FAIL("gnttab_init returned %d", rc);
	s = stats();
	if ((rc = gnttab_init()) || stats().frames != s.frames)
		return FAIL("second gnttab_init returned %d, frames %u -> %u",
			    rc, s.frames, stats().frames);
	if (!s.frames || s.max_frames < s.frames)
		return FAIL("frames %u of %u", s.frames, s.max_frames);
	printf("granttest: table has %u frames, Xen allows %u; domain id %u\n",
	       s.frames, s.max_frames, self_id);
	return 0;
}

/* grant_many - n refs of page p for dom0 into refs; checks each. */
static int grant_many(gnttab_ref_t *refs, unsigned int n, unsigned char *p,
		      unsigned char *seen)
{
	for (unsigned int i = 0; i < n; i++) {
		int rc = gnttab_grant_access(0, virt_to_mfn(p), 1, &refs[i]);

		if (rc)
			return FAIL("grant %u of %u returned %d", i, n, rc);
		if (refs[i] < 8)
			return FAIL("reserved ref %u handed out", refs[i]);
		if (seen[refs[i]]++)
			return FAIL("ref %u handed out twice", refs[i]);
	}
	return 0;
}

static int check_grow(void)
{
	struct gnttab_stats before = stats();
	unsigned int n = before.frames * REFS_PER_FRAME + 1000;
	gnttab_ref_t *refs = calloc(n, sizeof(*refs));
	size_t nrefs = (size_t)before.max_frames * REFS_PER_FRAME;
	unsigned char *seen = calloc(nrefs, 1);
	unsigned char *p = page();
	int rc = 0;

	if (!refs || !seen)
		return FAIL("no memory for %u refs", n);
	if (before.max_frames * REFS_PER_FRAME < n + 8)
		return FAIL("Xen allows only %u frames: cannot show growth",
			    before.max_frames);
	if (grant_many(refs, n, p, seen))
		rc = -1;
	else if (stats().frames <= before.frames)
		rc = FAIL("%u refs granted but still %u frames", n,
			  stats().frames);
	else if (stats().refs_in_use != before.refs_in_use + n)
		rc = FAIL("refs_in_use %u, want %u", stats().refs_in_use,
			  before.refs_in_use + n);
	printf("granttest: %u grants grew the table from %u to %u frames\n",
	       n, before.frames, stats().frames);
	for (unsigned int i = 0; i < n && refs[i] >= 8; i++)
		if (revoke(refs[i]) && !rc)
			rc = FAIL("revoking ref %u failed", refs[i]);
	if (!rc && stats().refs_in_use != before.refs_in_use)
		rc = FAIL("refs_in_use %u after revoking all, want %u",
			  stats().refs_in_use, before.refs_in_use);
	free(refs);
	free(seen);
	page_free(p, 0);
	return rc;
}

static int check_end_unused(void)
{
	unsigned char *p = page();
	uint64_t mfn = virt_to_mfn(p);
	gnttab_ref_t ref;
	int rc;

	if ((rc = gnttab_grant_access(0, mfn, 0, &ref)))
		return FAIL("grant returned %d", rc);
	if ((rc = gnttab_release(ref)) != -EBUSY)
		return FAIL("release of a live grant returned %d", rc);
	if ((rc = gnttab_grant_ref(ref, 0, mfn, 0)) != -EBUSY)
		return FAIL("re-grant of a live grant returned %d", rc);
	if ((rc = gnttab_end_access(ref)))
		return FAIL("end_access of an unused grant returned %d", rc);
	if ((rc = gnttab_end_access(ref)))
		return FAIL("second end_access returned %d", rc);
	if ((rc = gnttab_grant_ref(ref, 0, mfn, 1)) ||
	    (rc = gnttab_end_access(ref)))
		return FAIL("re-grant and end of a held ref: %d", rc);
	if ((rc = gnttab_release(ref)))
		return FAIL("release returned %d", rc);
	if ((rc = gnttab_release(ref)) != -EINVAL)
		return FAIL("double release returned %d, want -EINVAL", rc);
	if ((rc = gnttab_end_access(ref)) != -EINVAL)
		return FAIL("end_access of a released ref returned %d", rc);
	if ((rc = gnttab_end_access(3)) != -EINVAL)
		return FAIL("end_access of reserved ref 3 returned %d", rc);
	if ((rc = gnttab_grant_access(0, 1ULL << 32, 0, &ref)) != -EINVAL)
		return FAIL("a 33-bit frame was granted (%d)", rc);
	page_free(p, 0);
	return 0;
}

static int check_exhaustion(void)
{
	struct gnttab_stats before = stats();
	unsigned int room = before.max_frames * REFS_PER_FRAME - 8 -
			    before.refs_in_use, n = 0;
	gnttab_ref_t *refs = malloc((room + 1) * sizeof(*refs));
	unsigned char *p = page();
	uint64_t mfn = virt_to_mfn(p), start = xen_time_ns(), ms;
	int rc = 0, last = 0;

	if (!refs)
		return FAIL("no memory for %u refs", room);
	while (n <= room &&
	       !(last = gnttab_grant_access(0, mfn, 1, &refs[n])))
		n++;
	ms = (xen_time_ns() - start) / 1000000;
	if (last != -ENOSPC)
		rc = FAIL("grant %u returned %d, want -ENOSPC", n, last);
	else if (n != room)
		rc = FAIL("%u grants before -ENOSPC, want %u", n, room);
	else if (stats().frames != before.max_frames)
		rc = FAIL("full at %u frames of %u", stats().frames,
			  before.max_frames);
	else if ((last = gnttab_grant_access(0, mfn, 1, &refs[n])) != -ENOSPC)
		rc = FAIL("a grant on the full table returned %d", last);
	printf("granttest: %u grants filled %u frames in %lu ms\n", n,
	       stats().frames, (unsigned long)ms);
	for (unsigned int i = 0; i < n; i++)
		if (revoke(refs[i]) && !rc)
			rc = FAIL("revoking ref %u failed", refs[i]);
	if (!rc && (last = gnttab_grant_access(0, mfn, 1, &refs[0])))
		rc = FAIL("after freeing all, grant returned %d", last);
	else if (!rc)
		revoke(refs[0]);
	free(refs);
	page_free(p, 0);
	return rc;
}

/* copy_gmfn_op - an op copying len bytes between our own frames. */
static struct gnttab_copy_op copy_gmfn_op(const void *src, unsigned int so,
					  void *dst, unsigned int dof,
					  unsigned int len)
{
	struct gnttab_copy_op op = {
		.src = { .frame = virt_to_mfn(src), .domid = GNTTAB_DOMID_SELF,
			 .offset = (uint16_t)so },
		.dst = { .frame = virt_to_mfn(dst), .domid = GNTTAB_DOMID_SELF,
			 .offset = (uint16_t)dof },
		.len = (uint16_t)len,
		.status = 1,
	};
	return op;
}

/* ref_side - a copy side naming ref of our own table, at offset 0. */
static struct gnttab_copy_side ref_side(gnttab_ref_t ref)
{
	struct gnttab_copy_side s = {
		.frame = ref, .domid = self_id, .is_ref = 1,
	};
	return s;
}

static int check_copy_gmfn(void)
{
	unsigned char *a = page(), *b = page();
	struct gnttab_copy_op ops[100];
	int rc;

	fill(a, 3);
	ops[0] = copy_gmfn_op(a, 0, b, 0, PAGE);
	if ((rc = gnttab_copy(ops, 1)) || ops[0].status)
		return FAIL("whole-page copy: status %d", ops[0].status);
	if (memcmp(a, b, PAGE))
		return FAIL("whole-page copy: bytes differ");
	/* 100 pieces in three batches, each to the mirrored place. */
	memset(b, 0, PAGE);
	for (unsigned int i = 0; i < 100; i++)
		ops[i] = copy_gmfn_op(a, i * 40, b, 3960 - i * 40, 40);
	if ((rc = gnttab_copy(ops, 100)))
		return FAIL("%d of 100 pieces failed", rc);
	for (unsigned int i = 0; i < 100; i++)
		if (ops[i].status || memcmp(a + i * 40, b + 3960 - i * 40, 40))
			return FAIL("piece %u: status %d or bytes differ", i,
				    ops[i].status);
	page_free(a, 0);
	page_free(b, 0);
	return 0;
}

static int check_copy_bad_ref(void)
{
	unsigned char *a = page(), *b = page();
	struct gnttab_copy_op ops[4];
	int rc;

	fill(a, 5);
	ops[0] = copy_gmfn_op(a, 0, b, 0, 100);
	ops[1] = copy_gmfn_op(a, 0, b, 200, 100);
	ops[1].src = ref_side(0xfffff);	/* beyond the table */
	ops[2] = copy_gmfn_op(a, 0, b, 400, 100);
	ops[2].src = ref_side(1000);		/* not granted */
	ops[3] = copy_gmfn_op(a, 4000, b, 0, 200);	/* crosses the page */
	rc = gnttab_copy(ops, 4);
	printf("granttest: bad copies: out-of-table ref %d, ungranted ref %d, "
	       "crossing %d\n", ops[1].status, ops[2].status, ops[3].status);
	if (rc != 3)
		return FAIL("%d ops failed, want 3", rc);
	if (ops[0].status || memcmp(a, b, 100))
		return FAIL("the good op next to bad ones: status %d",
			    ops[0].status);
	if (ops[1].status >= 0 || ops[2].status >= 0 ||
	    ops[3].status != -EINVAL)
		return FAIL("statuses %d %d %d", ops[1].status, ops[2].status,
			    ops[3].status);
	for (unsigned int i = 200; i < PAGE; i++)
		if (b[i])
			return FAIL("a failed op wrote byte %u", i);
	page_free(a, 0);
	page_free(b, 0);
	return 0;
}

static int check_copy_self_grant(void)
{
	unsigned char *a = page(), *b = page();
	struct gnttab_copy_op op;
	gnttab_ref_t ra, rb;
	int rc;

	fill(a, 9);
	if ((rc = gnttab_grant_access(self_id, virt_to_mfn(a), 1, &ra)) ||
	    (rc = gnttab_grant_access(self_id, virt_to_mfn(b), 0, &rb)))
		return FAIL("grant to ourselves returned %d", rc);
	op = (struct gnttab_copy_op){
		.src = ref_side(ra), .dst = ref_side(rb),
		.len = PAGE,
	};
	if ((rc = gnttab_copy(&op, 1)) || op.status)
		return FAIL("ref-to-ref copy: status %d", op.status);
	if (memcmp(a, b, PAGE))
		return FAIL("ref-to-ref copy: bytes differ");
	/* The read-only grant must refuse to be a destination. */
	op = (struct gnttab_copy_op){
		.src = ref_side(rb), .dst = ref_side(ra),
		.len = 16,
	};
	fill(b, 1);
	if (gnttab_copy(&op, 1) != 1 || op.status >= 0 || a[0] != 9)
		return FAIL("copy into a read-only grant: %d", op.status);
	printf("granttest: copy into a read-only grant: %d\n", op.status);
	if ((rc = revoke(ra)) || (rc = revoke(rb)))
		return FAIL("revoke after copies returned %d", rc);
	page_free(a, 0);
	page_free(b, 0);
	return 0;
}

static int check_end_busy(void)
{
	unsigned char *a = page(), *va = vmap_reserve(1);
	unsigned long busy = stats().end_busy;
	gnttab_ref_t ref;
	uint32_t handle;
	int rc;

	if (!va)
		return FAIL("vmap_reserve failed");
	fill(a, 11);
	if ((rc = gnttab_grant_access(self_id, virt_to_mfn(a), 0, &ref)))
		return FAIL("grant returned %d", rc);
	if ((rc = gnttab_map_ref(self_id, ref, va, 0, &handle)))
		return FAIL("mapping our own grant returned %d", rc);
	if (memcmp(va, a, PAGE))
		return FAIL("the mapping shows other bytes");
	va[5] = 0xee;
	if (a[5] != 0xee)
		return FAIL("a write through the mapping did not arrive");
	if ((rc = gnttab_end_access(ref)) != -EBUSY)
		return FAIL("end_access of a mapped grant returned %d", rc);
	if ((rc = gnttab_release(ref)) != -EBUSY)
		return FAIL("release of a mapped grant returned %d", rc);
	if (stats().end_busy != busy + 1)
		return FAIL("end_busy counted %lu", stats().end_busy - busy);
	if ((rc = gnttab_unmap_ref(va, handle)))
		return FAIL("unmap returned %d", rc);
	if ((rc = gnttab_end_access(ref)) || (rc = gnttab_release(ref)))
		return FAIL("end/release after unmap returned %d", rc);
	if ((rc = gnttab_map_ref(self_id, ref, va, 0, &handle)) >= 0)
		return FAIL("mapping an ended grant succeeded");
	vmap_release(va, 1);
	page_free(a, 0);
	return 0;
}

static const struct minnow_check checks[] = {
	{ "init", check_init, 0 },
	{ "grow", check_grow, 0 },
	{ "end_unused", check_end_unused, 0 },
	{ "exhaustion", check_exhaustion, 0 },
	{ "copy_gmfn", check_copy_gmfn, 0 },
	{ "copy_bad_ref", check_copy_bad_ref, 0 },
	{ "copy_self_grant", check_copy_self_grant, 0 },
	{ "end_busy", check_end_busy, 0 },
};

int main(int argc, char **argv)
{
	int id = xs_domid();

	if (id < 0)
		printf("granttest: could not learn our domain id (%d)\n", id);
	else
		self_id = (uint16_t)id;
	return run_checks("granttest: ", checks,
			  (int)(sizeof(checks) / sizeof(checks[0])), argc, argv) ? 1 : 0;
}
