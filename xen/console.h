/*
 * xen/console.h - PV console set-up (internal; the API is in
 * include/minnow/console.h).
 */
#ifndef MINNOW_XEN_CONSOLE_H
#define MINNOW_XEN_CONSOLE_H

struct start_info;

/*
 * console_init - find the console ring from start_info. printk works
 * right after this; before it, output is discarded.
 */
void console_init(struct start_info *si);

/* console_time_ready - Xen time may now bound console waits. */
void console_time_ready(void);

/* console_events_init - wake readers on console events (after sched). */
void console_events_init(void);

#endif
