/*
 * lib/cmdline.h - the guest kernel command line, split into argv.
 *
 * The command line comes from the toolstack (xl `cmdline=`/`extra=`) and
 * is untrusted: every malformation is reported with its byte offset.
 */
#ifndef MINNOW_LIB_CMDLINE_H
#define MINNOW_LIB_CMDLINE_H

#include <stddef.h>

/* Why a command line was refused, and at which byte. */
struct cmdline_err {
	const char *msg;	/* static text; NULL when there is no error */
	size_t at;		/* byte offset in the line */
};

/*
 * cmdline_check_raw - check that the fixed-size buffer raw (cap bytes, as
 * start_info.cmd_line) holds a NUL-terminated line shorter than cap - 1
 * bytes: a line of cap - 1 bytes is what the toolstack leaves after
 * cutting a longer one. Returns the length, or -E2BIG with *err set.
 */
long cmdline_check_raw(const char *raw, size_t cap, struct cmdline_err *err);

/*
 * cmdline_split - split line into words at blanks (space, tab). "..."
 * and '...' keep blanks inside a word; a backslash takes the next byte
 * literally (not inside '...'). Words are stored NUL-terminated in buf
 * (bufsz bytes; strlen(line) + 1 always suffices), argv[0..*argc-1]
 * point at them and argv[*argc] is NULL, so argv needs max_words + 1
 * slots. Returns 0; -EINVAL for an unterminated quote, a trailing
 * backslash or a control byte; -E2BIG for more than max_words words or
 * a too small buf. On error *err says what and where.
 */
int cmdline_split(const char *line, char *buf, size_t bufsz, char **argv,
		  int max_words, int *argc, struct cmdline_err *err);

#endif
