/*
 * lib/fmt.h - printf-style formatting without a C library.
 *
 * Pure code: no allocation, no global state; tested on the host against
 * the C library's snprintf.
 */
#ifndef MINNOW_LIB_FMT_H
#define MINNOW_LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * fmt_vsnprintf - format into buf (size bytes, always NUL-terminated when
 * size > 0). Returns the length the full result would have, as C's
 * vsnprintf. Supports %d %i %u %x %X %o %p %s %c %%, flags "-0+ #", width
 * and precision (also as '*'), and length modifiers hh h l ll z t j.
 * An unknown conversion is copied through literally. Widths and
 * precisions are capped at 100000 to bound the work.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* fmt_snprintf - fmt_vsnprintf with variable arguments. */
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
