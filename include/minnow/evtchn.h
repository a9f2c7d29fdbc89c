/*
 * minnow/evtchn.h - Xen event channels (2-level ABI).
 *
 * A handler bound to a port runs from the event upcall, with events
 * masked, on whatever stack was current: it must be short, must not
 * sleep, and may only wake threads (thread_wake, waitq_wake_*). Events
 * that arrive while handlers run are not lost: the upcall rescans until
 * nothing is pending. Errors are negative errno values.
 */
#ifndef MINNOW_EVTCHN_H
#define MINNOW_EVTCHN_H

#include <stdint.h>

typedef uint32_t evtchn_port_t;
typedef void (*evtchn_handler_fn)(evtchn_port_t port, void *arg);

#define EVTCHN_NR_PORTS	4096

/*
 * evtchn_interrupted_pc - in a handler: the instruction the event upcall
 * interrupted (in the hypercall page if it came as a hypercall returned,
 * e.g. out of the idle block). 0 outside a handler.
 */
uint64_t evtchn_interrupted_pc(void);

/*
 * evtchn_set_handler - run fn(port, arg) when port fires; fn NULL stops
 * dispatching port. -EINVAL for a port out of range.
 */
int evtchn_set_handler(evtchn_port_t port, evtchn_handler_fn fn, void *arg);

/*
 * evtchn_bind_virq - bind virtual IRQ virq (VIRQ_* of Xen's xen.h) on
 * vCPU 0 to a new port with handler fn, unmasked. 0 and *port, or -errno.
 */
int evtchn_bind_virq(unsigned int virq, evtchn_handler_fn fn, void *arg,
		     evtchn_port_t *port);

/*
 * evtchn_alloc_unbound - a new port that domain remote may bind to,
 * with handler fn, unmasked. 0 and *port, or -errno.
 */
int evtchn_alloc_unbound(uint16_t remote, evtchn_handler_fn fn, void *arg,
			 evtchn_port_t *port);

/*
 * evtchn_bind_interdomain - connect to port rport of domain remote.
 * 0 and *port (the local end, handler fn, unmasked), or -errno.
 */
int evtchn_bind_interdomain(uint16_t remote, evtchn_port_t rport,
			    evtchn_handler_fn fn, void *arg,
			    evtchn_port_t *port);

/* evtchn_close - stop dispatching and close port. 0 or -errno. */
int evtchn_close(evtchn_port_t port);

/* evtchn_notify - signal the other end of port. 0 or -errno. */
int evtchn_notify(evtchn_port_t port);

/* evtchn_mask / evtchn_unmask - hold back / let through port's events;
 * unmasking delivers what became pending meanwhile. */
void evtchn_mask(evtchn_port_t port);
void evtchn_unmask(evtchn_port_t port);

/* evtchn_clear - clear port's pending bit. */
void evtchn_clear(evtchn_port_t port);

/* evtchn_is_pending - is port's pending bit set? */
int evtchn_is_pending(evtchn_port_t port);

/*
 * evtchn_poll - block the vCPU until port is pending or Xen time reaches
 * deadline_ns (0: none). 0 if pending, else -ETIMEDOUT. Does not clear.
 * For code that cannot use threads (the console's early path).
 */
int evtchn_poll(evtchn_port_t port, uint64_t deadline_ns);

/*
 * evtchn_events_save / evtchn_events_restore - mask all event delivery
 * on this vCPU, returning the previous state; restore it, delivering
 * anything that became pending meanwhile.
 */
unsigned int evtchn_events_save(void);
void evtchn_events_restore(unsigned int saved);

/* evtchn_events_enable - let Xen deliver upcalls (once, at boot). */
void evtchn_events_enable(void);

struct evtchn_stats {
	unsigned long upcalls;		/* upcalls taken */
	unsigned long dispatched;	/* handler calls */
	unsigned long unhandled;	/* events on ports without handler */
};

void evtchn_stats_get(struct evtchn_stats *s);

#endif
