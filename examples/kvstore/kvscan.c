/*
 * kvscan.c - kvstore's recovery scan (see kvscan.h).
 */
#include <errno.h>
#include <string.h>
#include "kvscan.h"

/* A window of the region held in the scratch buffer. */
struct view {
	const struct kvscan_params *p;
	uint64_t start;		/* disk offset of buf[0] */
	size_t len;		/* valid bytes in buf; 0: empty */
};

/* region_end - the byte offset just past the region. */
static uint64_t region_end(const struct kvscan_params *p)
{
	return p->region_off + p->region_size;
}

/*
 * view_at - make [off, off + need) readable in the buffer (need <=
 * buf_len, off aligned, inside the region), reading as much of the
 * region from off as fits. 0 and *out pointing at off with *avail bytes
 * from there (>= need unless the region ends first), or a read error.
 */
static int view_at(struct view *v, uint64_t off, size_t need,
		   const uint8_t **out, size_t *avail)
{
	const struct kvscan_params *p = v->p;
	uint64_t left = region_end(p) - off;
	int rc;

	if (need > left)
		need = (size_t)left;
	if (!(v->len && off >= v->start && off + need <= v->start + v->len)) {
		size_t n = left < p->buf_len ? (size_t)left : p->buf_len;

		rc = p->read(p->ctx, off, p->buf, n);
		if (rc) {
			v->len = 0;
			return rc;
		}
		v->start = off;
		v->len = n;
	}
	*out = (const uint8_t *)p->buf + (off - v->start);
	*avail = (size_t)(v->start + v->len - off);
	return 0;
}

/*
 * decode_at - decode the record at off: a KVREC_* code, *r and *size.
 * A record longer than the region's rest is KVREC_BADHDR; one longer
 * than the buffer cannot be written by kvstore, so the same.
 */
static int decode_at(struct view *v, uint64_t off, struct kvrec *r,
		     size_t *size, int *err)
{
	const struct kvscan_params *p = v->p;
	const uint8_t *b;
	size_t avail;
	int rc;

	*err = view_at(v, off, p->align, &b, &avail);
	if (*err)
		return KVREC_SHORT;
	rc = kvrec_decode(b, avail, p->align, r, size);
	if (rc != KVREC_SHORT)
		return rc;
	if (!*size || *size > region_end(p) - off || *size > p->buf_len)
		return KVREC_BADHDR;
	*err = view_at(v, off, *size, &b, &avail);
	if (*err)
		return KVREC_SHORT;
	return kvrec_decode(b, avail, p->align, r, size);
}

/* params_ok - is p consistent? */
static int params_ok(const struct kvscan_params *p)
{
	uint32_t a = p->align;

	return a >= 512 && a <= 4096 && !(a & (a - 1)) &&
	       !(p->region_off % a) && !(p->region_size % a) &&
	       p->region_size && p->buf && p->buf_len >= a &&
	       !(p->buf_len % a) &&
	       p->buf_len >= kvrec_size(KVREC_KEY_MAX, KVREC_VALUE_MAX, a);
}

/*
 * look_past - count sound records of this region from off to the
 * region's end (sector by sector, skipping over each one found).
 */
static int look_past(struct view *v, uint64_t off, struct kvscan_result *res)
{
	const struct kvscan_params *p = v->p;
	struct kvrec r;
	size_t size;
	int err, rc;

	while (off < region_end(p)) {
		rc = decode_at(v, off, &r, &size, &err);
		if (err)
			return err;
		if (rc == KVREC_OK && r.nonce == p->nonce) {
			if (!res->later_records++)
				res->later_off = off;
			off += size;
		} else {
			off += p->align;
		}
	}
	return 0;
}

int kvscan_run(const struct kvscan_params *p, struct kvscan_result *res)
{
	struct view v = { .p = p };
	uint64_t off = p->region_off;
	struct kvrec r;
	size_t size;
	int err, rc;

	if (!params_ok(p))
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	res->next_seq = p->first_seq;
	res->stop = KVSCAN_FULL;
	while (off < region_end(p)) {
		rc = decode_at(&v, off, &r, &size, &err);
		if (err)
			return err;
		if (rc == KVREC_NOMAGIC || (rc == KVREC_OK && r.nonce != p->nonce)) {
			res->stop = KVSCAN_CLEAN;
			break;
		}
		if (rc != KVREC_OK) {
			res->stop = KVSCAN_TORN;
			res->code = rc;
			break;
		}
		if (r.seq != res->next_seq) {
			res->stop = KVSCAN_SEQ;
			break;
		}
		p->apply(p->ctx, &r, off, size);
		res->records++;
		res->next_seq++;
		off += size;
	}
	res->end = off;
	if (p->lookahead && res->stop != KVSCAN_FULL &&
	    p->window < region_end(p) - off) {
		uint64_t from = off + p->window;

		from = (from + p->align - 1) & ~((uint64_t)p->align - 1);
		return look_past(&v, from, res);
	}
	return 0;
}

const char *kvscan_stop_name(int stop)
{
	switch (stop) {
	case KVSCAN_CLEAN:
		return "clean";
	case KVSCAN_TORN:
		return "torn";
	case KVSCAN_SEQ:
		return "out-of-sequence";
	default:
		return "full";
	}
}
