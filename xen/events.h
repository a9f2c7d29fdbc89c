/*
 * xen/events.h - event channels over the 2-level ABI (internal).
 *
 * A handler bound to a port runs from the upcall with events masked; it
 * must not sleep. Ports without a handler are cleared and ignored.
 */
#ifndef MINNOW_XEN_EVENTS_H
#define MINNOW_XEN_EVENTS_H

#include <stdint.h>
#include "xen/abi.h"
#include <xen/event_channel.h>

typedef void (*evtchn_handler_fn)(evtchn_port_t port, void *arg);

/* evtchn_set_handler - run fn(port, arg) when port fires (fn NULL: none). */
int evtchn_set_handler(evtchn_port_t port, evtchn_handler_fn fn, void *arg);

/* evtchn_notify - signal the other end of port. Returns 0 or -errno. */
int evtchn_notify(evtchn_port_t port);

/* evtchn_clear - clear port's pending bit. */
void evtchn_clear(evtchn_port_t port);

/* evtchn_unmask - unmask port, delivering what became pending meanwhile. */
void evtchn_unmask(evtchn_port_t port);

/*
 * evtchn_poll - block the vCPU until port is pending or Xen time reaches
 * deadline_ns (0: no deadline). Returns 0 if port is pending, else
 * -ETIMEDOUT. Does not clear the pending bit.
 */
int evtchn_poll(evtchn_port_t port, uint64_t deadline_ns);

/* evtchn_events_enable - let Xen deliver upcalls (clear the vCPU mask). */
void evtchn_events_enable(void);

/* evtchn_upcall_count - upcalls taken so far (for tests and stats). */
unsigned long evtchn_upcall_count(void);

#endif
