/*
 * lib/xs_wire.h - the xenstore wire format: messages are a 16-byte
 * header (type, request id, transaction id, payload length) followed by
 * a payload of NUL-terminated strings. Replies come from another domain
 * and are untrusted: everything here validates before it trusts.
 * Pure code, tested on the host.
 */
#ifndef MINNOW_LIB_XS_WIRE_H
#define MINNOW_LIB_XS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define XS_PAYLOAD_MAX	4096	/* the protocol's limit, both ways */

struct xs_hdr {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;
	uint32_t len;
};

/* One piece of a request payload: len bytes at data. */
struct xs_part {
	const void *data;
	size_t len;
};

/*
 * xs_encode - header + the parts back to back into out (cap bytes).
 * Returns the total length, -E2BIG if the payload would exceed
 * XS_PAYLOAD_MAX, or -ENOSPC if out is too small.
 */
long xs_encode(void *out, size_t cap, uint32_t type, uint32_t req_id,
	       uint32_t tx_id, const struct xs_part *parts, int nparts);

/* xs_check_header - 0 if h may be followed by a payload, -EBADMSG if
 * its length is over the limit or its type beyond max_type. */
int xs_check_header(const struct xs_hdr *h, uint32_t max_type);

/*
 * xs_error_code - the -errno an XS_ERROR payload names ("ENOENT\0"...);
 * -EIO for a name we do not know or a malformed payload.
 */
int xs_error_code(const char *payload, size_t len);

/*
 * xs_split - the NUL-terminated strings of payload into items (at most
 * max). The payload must be empty or end with NUL. Returns the count,
 * -EBADMSG for a missing terminator, -E2BIG for more than max strings.
 */
int xs_split(const char *payload, size_t len, const char **items, int max);

#endif
