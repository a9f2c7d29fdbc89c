/*
 * test_xs_wire.c - xenstore message encoding and the checks on replies
 * that come from another domain.
 */
#include <errno.h>
#include <string.h>
#include "lib/xs_wire.h"
#include "unit.h"

static void encode(void)
{
	char buf[64];
	struct xs_part parts[] = { { "a/b", 4 }, { "val", 3 } };
	struct xs_hdr h;
	long n = xs_encode(buf, sizeof(buf), 11, 7, 3, parts, 2);

	EXPECT(n == 16 + 7, "length %ld", n);
	memcpy(&h, buf, sizeof(h));
	EXPECT(h.type == 11 && h.req_id == 7 && h.tx_id == 3 && h.len == 7,
	       "header %u %u %u %u", h.type, h.req_id, h.tx_id, h.len);
	EXPECT(!memcmp(buf + 16, "a/b\0val", 7), "payload differs");
	EXPECT(xs_encode(buf, 10, 1, 1, 0, parts, 2) == -ENOSPC,
	       "a small buffer must be refused");
}

static void encode_too_big(void)
{
	static char big[5000], out[6000];
	struct xs_part p = { big, XS_PAYLOAD_MAX + 1 };
	struct xs_part ok = { big, XS_PAYLOAD_MAX };

	EXPECT(xs_encode(out, sizeof(out), 1, 1, 0, &p, 1) == -E2BIG,
	       "payload over the limit accepted");
	EXPECT(xs_encode(out, sizeof(out), 1, 1, 0, &ok, 1) ==
	       16 + XS_PAYLOAD_MAX, "payload at the limit refused");
}

static void headers(void)
{
	struct xs_hdr good = { 2, 1, 0, 100 }, long_one = { 2, 1, 0, 4097 };
	struct xs_hdr bad_type = { 99, 1, 0, 0 };

	EXPECT(xs_check_header(&good, 30) == 0, "good header refused");
	EXPECT(xs_check_header(&long_one, 30) == -EBADMSG, "oversized accepted");
	EXPECT(xs_check_header(&bad_type, 30) == -EBADMSG, "unknown type accepted");
}

static void errors(void)
{
	EXPECT(xs_error_code("ENOENT", 7) == -ENOENT, "ENOENT");
	EXPECT(xs_error_code("EAGAIN", 7) == -EAGAIN, "EAGAIN");
	EXPECT(xs_error_code("EQUOTA", 7) == -EDQUOT, "EQUOTA");
	EXPECT(xs_error_code("EWHAT", 6) == -EIO, "unknown name");
	EXPECT(xs_error_code("ENOENT", 6) == -EIO, "missing terminator");
	EXPECT(xs_error_code("", 0) == -EIO, "empty payload");
}

static void split(void)
{
	const char *it[4];

	EXPECT(xs_split("a\0bc\0\0", 6, it, 4) == 3 && !strcmp(it[1], "bc") &&
	       !strcmp(it[2], ""), "three strings");
	EXPECT(xs_split("", 0, it, 4) == 0, "empty payload is no strings");
	EXPECT(xs_split("abc", 3, it, 4) == -EBADMSG, "unterminated accepted");
	EXPECT(xs_split("a\0b\0c\0d\0e\0", 10, it, 4) == -E2BIG, "too many");
}

int main(void)
{
	static const struct unit units[] = {
		UNIT(encode), UNIT(encode_too_big), UNIT(headers),
		UNIT(errors), UNIT(split),
	};

	return RUN_UNITS("xs_wire", units);
}
