/*
 * minnow/console.h - the guest's text console (Xen PV console ring).
 *
 * Output reaches `xl console` and xenconsoled's log in dom0. Every
 * output call here is safe from the first instruction that has a stack,
 * from trap handlers and from event handlers: none of them sleeps.
 */
#ifndef MINNOW_CONSOLE_H
#define MINNOW_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

/*
 * printk - format like printf (%d %i %u %x %X %o %p %s %c %%, with flags
 * "-0+ #", width, precision and the hh h l ll z t j length modifiers) and
 * write the result to the console. Returns the number of characters
 * written. Output longer than 1024 bytes per call is cut with "...".
 */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* vprintk - printk with a va_list. */
int vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/*
 * console_write - write len bytes to the console, "\n" becoming "\r\n".
 * Waits (bounded) for dom0 to make room when the ring is full; bytes that
 * still find no room after that are dropped and counted. Returns len.
 */
size_t console_write(const char *buf, size_t len);

/*
 * console_flush - wait until dom0 has read everything written so far, or
 * until timeout_ms passed. Returns 0, or -ETIMEDOUT.
 */
int console_flush(unsigned int timeout_ms);

/*
 * console_read - read up to len bytes of console input (`xl console`
 * keystrokes), blocking the calling thread until at least one arrives.
 * Returns the count. Threads only: never from an event handler.
 */
size_t console_read(char *buf, size_t len);

/* console_dropped - bytes dropped so far because the ring stayed full. */
unsigned long console_dropped(void);

#endif
