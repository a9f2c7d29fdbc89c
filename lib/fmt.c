/*
 * lib/fmt.c - printf-style formatting for the kernel.
 */
#include <stdint.h>
#include "lib/fmt.h"

/* Output cursor: writes what fits, counts everything. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

/* The parsed shape of one conversion. */
struct spec {
	int left;	/* '-' */
	int zero;	/* '0' */
	int plus;	/* '+' */
	int space;	/* ' ' */
	int alt;	/* '#' */
	int width;	/* -1: none */
	int prec;	/* -1: none */
	int len;	/* 0 int, 'H' char, 'h' short, 'l' long, 'q' long long */
};

/* put - append one character, keeping room for the terminator. */
static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* pad - append n copies of c (nothing when n <= 0). */
static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* put_str - append a string of at most max bytes with width padding. */
static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (sp->prec < 0 || n < sp->prec))
		n++;
	if (!sp->left)
		pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

/* to_digits - write v in base into tmp backwards; returns digit count. */
static int to_digits(char *tmp, unsigned long long v, unsigned base, int upper)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[n++] = dig[v % base];
		v /= base;
	} while (v);
	return n;
}

/*
 * put_num - append an integer: sign is '-', '+', ' ' or 0; prefix is
 * "0x", "0X", "0" or "". Follows C's rules for precision and the 0 flag.
 */
static void put_num(struct out *o, unsigned long long v, unsigned base,
		    int upper, char sign, const char *prefix,
		    const struct spec *sp)
{
	char tmp[24];
	int nd = to_digits(tmp, v, base, upper);
	int plen = 0, zeros = 0, total;

	if (sp->prec == 0 && v == 0)
		nd = 0;				/* "%.0d" of 0 prints nothing */
	while (prefix[plen])
		plen++;
	if (base == 8 && plen && sp->prec > nd)
		plen = 0;			/* precision already gives a 0 */
	if (sp->prec > nd)
		zeros = sp->prec - nd;
	total = nd + zeros + plen + (sign ? 1 : 0);
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!sp->left)
		pad(o, ' ', sp->width - total);
	if (sign)
		put(o, sign);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (nd > 0)
		put(o, tmp[--nd]);
	if (sp->left)
		pad(o, ' ', sp->width - total);
}

/* get_signed - fetch a signed argument of the spec's length. */
static long long get_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'q': return va_arg(*ap, long long);
	default:  return va_arg(*ap, int);
	}
}

/* get_unsigned - fetch an unsigned argument of the spec's length. */
static unsigned long long get_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned int);
	case 'h': return (unsigned short)va_arg(*ap, unsigned int);
	case 'l': return va_arg(*ap, unsigned long);
	case 'q': return va_arg(*ap, unsigned long long);
	default:  return va_arg(*ap, unsigned int);
	}
}

/* parse_flags - consume "-0+ #" flags at *f. */
static void parse_flags(const char **f, struct spec *sp)
{
	for (;; (*f)++) {
		switch (**f) {
		case '-': sp->left = 1; break;
		case '0': sp->zero = 1; break;
		case '+': sp->plus = 1; break;
		case ' ': sp->space = 1; break;
		case '#': sp->alt = 1; break;
		default: return;
		}
	}
}

/*
 * parse_int - a decimal number or '*' (taken from ap) into *val.
 * Returns 1 if one was there, 0 if not.
 */
static int parse_int(const char **f, va_list *ap, int *val)
{
	int v = 0;

	if (**f == '*') {
		(*f)++;
		*val = va_arg(*ap, int);
		return 1;
	}
	if (**f < '0' || **f > '9')
		return 0;
	while (**f >= '0' && **f <= '9') {
		if (v < 100000)			/* clamp absurd widths */
			v = v * 10 + (**f - '0');
		(*f)++;
	}
	*val = v;
	return 1;
}

/* parse_len - consume a length modifier into sp->len. */
static void parse_len(const char **f, struct spec *sp)
{
	switch (**f) {
	case 'h':
		sp->len = (*f)[1] == 'h' ? 'H' : 'h';
		*f += sp->len == 'H' ? 2 : 1;
		break;
	case 'l':
		sp->len = (*f)[1] == 'l' ? 'q' : 'l';
		*f += sp->len == 'q' ? 2 : 1;
		break;
	case 'z': case 't': case 'j':
		sp->len = 'l';			/* all 64-bit on x86_64 */
		(*f)++;
		break;
	}
}

/* parse_spec - parse flags, width, precision and length after '%'. */
static void parse_spec(const char **f, struct spec *sp, va_list *ap)
{
	int v;

	*sp = (struct spec){ .width = -1, .prec = -1 };
	parse_flags(f, sp);
	if (parse_int(f, ap, &v)) {
		if (v < 0) {			/* negative '*' width means '-' */
			sp->left = 1;
			v = v == -2147483647 - 1 ? 2147483647 : -v;
		}
		sp->width = v > 100000 ? 100000 : v;	/* bound the work */
	}
	if (**f == '.') {
		(*f)++;
		if (!parse_int(f, ap, &v))
			v = 0;			/* "%.d": precision 0 */
		sp->prec = v < 0 ? -1 : v;	/* negative: as if absent */
		if (sp->prec > 100000)
			sp->prec = 100000;
	}
	parse_len(f, sp);
}

/* convert_signed - %d and %i. */
static void convert_signed(struct out *o, const struct spec *sp, va_list *ap)
{
	long long v = get_signed(sp, ap);
	unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v
				       : (unsigned long long)v;
	char sign = v < 0 ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;

	put_num(o, mag, 10, 0, sign, "", sp);
}

/* convert - perform conversion c; returns 0 if c is unknown. */
static int convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
	unsigned long long u;

	switch (c) {
	case 'd': case 'i':
		convert_signed(o, sp, ap);
		return 1;
	case 'u':
		put_num(o, get_unsigned(sp, ap), 10, 0, 0, "", sp);
		return 1;
	case 'x': case 'X':
		u = get_unsigned(sp, ap);
		put_num(o, u, 16, c == 'X', 0,
			sp->alt && u ? (c == 'X' ? "0X" : "0x") : "", sp);
		return 1;
	case 'o':
		u = get_unsigned(sp, ap);
		put_num(o, u, 8, 0, 0, sp->alt && u ? "0" : "", sp);
		return 1;
	case 'p':
		sp->len = 'l';
		put_num(o, (uintptr_t)va_arg(*ap, void *), 16, 0, 0, "0x", sp);
		return 1;
	case 's':
		put_str(o, va_arg(*ap, const char *), sp);
		return 1;
	case 'c': {
		char s[2] = { (char)va_arg(*ap, int), 0 };
		struct spec cs = *sp;

		cs.prec = 1;
		if (!s[0]) {			/* a NUL char still counts */
			pad(o, ' ', sp->left ? 0 : sp->width - 1);
			put(o, 0);
			pad(o, ' ', sp->left ? sp->width - 1 : 0);
			return 1;
		}
		put_str(o, s, &cs);
		return 1;
	}
	case '%':
		put(o, '%');
		return 1;
	}
	return 0;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		const char *start = fmt;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		parse_spec(&fmt, &sp, &aq);
		if (*fmt && convert(&o, *fmt, &sp, &aq)) {
			fmt++;
			continue;
		}
		while (start < fmt)		/* unknown: copy it through */
			put(&o, *start++);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
