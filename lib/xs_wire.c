/*
 * lib/xs_wire.c - encode requests, check and split replies.
 */
#include <errno.h>
#include <string.h>
#include "lib/xs_wire.h"

long xs_encode(void *out, size_t cap, uint32_t type, uint32_t req_id,
	       uint32_t tx_id, const struct xs_part *parts, int nparts)
{
	struct xs_hdr h = { type, req_id, tx_id, 0 };
	size_t len = 0;
	char *p;

	for (int i = 0; i < nparts; i++) {
		if (parts[i].len > XS_PAYLOAD_MAX - len)
			return -E2BIG;
		len += parts[i].len;
	}
	if (cap < sizeof(h) + len)
		return -ENOSPC;
	h.len = (uint32_t)len;
	memcpy(out, &h, sizeof(h));
	p = (char *)out + sizeof(h);
	for (int i = 0; i < nparts; i++) {
		memcpy(p, parts[i].data, parts[i].len);
		p += parts[i].len;
	}
	return (long)(sizeof(h) + len);
}

int xs_check_header(const struct xs_hdr *h, uint32_t max_type)
{
	if (h->len > XS_PAYLOAD_MAX || h->type > max_type)
		return -EBADMSG;
	return 0;
}

/* The errors xenstored names, as the protocol spells them. */
static const struct {
	const char *name;
	int code;
} errors[] = {
	{ "EINVAL", EINVAL }, { "EACCES", EACCES }, { "EEXIST", EEXIST },
	{ "EISDIR", EISDIR }, { "ENOENT", ENOENT }, { "ENOMEM", ENOMEM },
	{ "ENOSPC", ENOSPC }, { "EIO", EIO }, { "ENOTEMPTY", ENOTEMPTY },
	{ "ENOSYS", ENOSYS }, { "EROFS", EROFS }, { "EBUSY", EBUSY },
	{ "EAGAIN", EAGAIN }, { "EISCONN", EISCONN }, { "E2BIG", E2BIG },
	{ "EPERM", EPERM }, { "EQUOTA", EDQUOT },
};

int xs_error_code(const char *payload, size_t len)
{
	if (!len || payload[len - 1] != '\0')
		return -EIO;			/* no terminator: not trusted */
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (!strcmp(payload, errors[i].name))
			return -errors[i].code;
	return -EIO;
}

int xs_split(const char *payload, size_t len, const char **items, int max)
{
	int n = 0;
	size_t i = 0;

	if (len && payload[len - 1] != '\0')
		return -EBADMSG;
	while (i < len) {
		if (n == max)
			return -E2BIG;
		items[n++] = payload + i;
		i += strlen(payload + i) + 1;	/* stops at the final NUL */
	}
	return n;
}
