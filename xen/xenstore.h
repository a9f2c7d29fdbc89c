/*
 * xen/xenstore.h - xenstore set-up (internal; the API is
 * include/minnow/xenstore.h).
 */
#ifndef MINNOW_XEN_XENSTORE_INTERNAL_H
#define MINNOW_XEN_XENSTORE_INTERNAL_H

struct start_info;

/* xenstore_init - attach to the ring start_info names and start the
 * reader thread (after sched_init). 0 or -errno. */
int xenstore_init(struct start_info *si);

#endif
