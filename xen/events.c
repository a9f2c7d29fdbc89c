/*
 * xen/events.c - 2-level event channel dispatch.
 *
 * Xen sets a port's bit in shared_info.evtchn_pending, the matching word
 * bit in vcpu_info.evtchn_pending_sel and vcpu_info.evtchn_upcall_pending,
 * then calls hypervisor_callback (entry.S) which calls evtchn_upcall().
 * We clear upcall_pending first and rescan until it stays clear, so an
 * event that arrives while handlers run is never lost.
 */
#include <errno.h>
#include <minnow/evtchn.h>
#include "xen/abi.h"
#include <xen/sched.h>
#include "arch/x86_64/arch.h"
#include "xen/hypercall.h"
#include "xen/hypervisor.h"

#define NR_PORTS	EVTCHN_NR_PORTS
#define WORD_BITS	(sizeof(unsigned long) * 8)

_Static_assert(EVTCHN_NR_PORTS == sizeof(unsigned long) * 8 *
	       sizeof(unsigned long) * 8, "2-level ABI port count");

struct trap_frame;
void evtchn_upcall(struct trap_frame *f);

static struct {
	evtchn_handler_fn fn;
	void *arg;
} handlers[NR_PORTS];

static struct evtchn_stats stats;

int evtchn_set_handler(evtchn_port_t port, evtchn_handler_fn fn, void *arg)
{
	if (port >= NR_PORTS)
		return -EINVAL;
	handlers[port].arg = arg;
	barrier();
	handlers[port].fn = fn;
	return 0;
}

/* bound - a port Xen just gave us: install the handler and unmask. */
static int bound(evtchn_port_t p, evtchn_handler_fn fn, void *arg,
		 evtchn_port_t *port)
{
	if (p >= NR_PORTS) {		/* cannot dispatch it: give it back */
		struct evtchn_close c = { .port = p };

		HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
		return -ENOSPC;
	}
	evtchn_set_handler(p, fn, arg);
	evtchn_unmask(p);
	*port = p;
	return 0;
}

int evtchn_bind_virq(unsigned int virq, evtchn_handler_fn fn, void *arg,
		     evtchn_port_t *port)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = 0 };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

	return rc ? xen_errno(rc) : bound(op.port, fn, arg, port);
}

int evtchn_alloc_unbound(uint16_t remote, evtchn_handler_fn fn, void *arg,
			 evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF,
					   .remote_dom = remote };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	return rc ? xen_errno(rc) : bound(op.port, fn, arg, port);
}

int evtchn_bind_interdomain(uint16_t remote, evtchn_port_t rport,
			    evtchn_handler_fn fn, void *arg,
			    evtchn_port_t *port)
{
	struct evtchn_bind_interdomain op = { .remote_dom = remote,
					      .remote_port = rport };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

	return rc ? xen_errno(rc) : bound(op.local_port, fn, arg, port);
}

int evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	if (port >= NR_PORTS)
		return -EINVAL;
	evtchn_mask(port);
	evtchn_set_handler(port, NULL, NULL);
	evtchn_clear(port);
	return xen_errno(HYPERVISOR_event_channel_op(EVTCHNOP_close, &op));
}

int evtchn_notify(evtchn_port_t port)
{
	struct evtchn_send send = { .port = port };

	return xen_errno(HYPERVISOR_event_channel_op(EVTCHNOP_send, &send));
}

void evtchn_mask(evtchn_port_t port)
{
	if (port < NR_PORTS)
		__atomic_fetch_or(&xen_shared_info->evtchn_mask[port / WORD_BITS],
				  1UL << (port % WORD_BITS), __ATOMIC_SEQ_CST);
}

int evtchn_is_pending(evtchn_port_t port)
{
	return port < NR_PORTS &&
	       ((xen_shared_info->evtchn_pending[port / WORD_BITS] >>
		 (port % WORD_BITS)) & 1);
}

unsigned int evtchn_events_save(void)
{
	struct vcpu_info *v = xen_vcpu_info();
	unsigned int old = v->evtchn_upcall_mask;

	v->evtchn_upcall_mask = 1;
	barrier();
	return old;
}

void evtchn_events_restore(unsigned int saved)
{
	struct vcpu_info *v = xen_vcpu_info();

	barrier();
	v->evtchn_upcall_mask = saved;
	barrier();
	if (!saved && v->evtchn_upcall_pending)	/* deliver what we held */
		HYPERVISOR_xen_version(0, 0);
}

void evtchn_clear(evtchn_port_t port)
{
	if (port >= NR_PORTS)
		return;
	__atomic_fetch_and(&xen_shared_info->evtchn_pending[port / WORD_BITS],
			   ~(1UL << (port % WORD_BITS)), __ATOMIC_SEQ_CST);
}

void evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	/* Xen re-raises the upcall if the port became pending while masked. */
	HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

int evtchn_poll(evtchn_port_t port, uint64_t deadline_ns)
{
	unsigned int saved;
	struct sched_poll poll = { .nr_ports = 1, .timeout = deadline_ns };

	set_xen_guest_handle(poll.ports, &port);
	saved = evtchn_events_save();		/* poll wants upcalls masked */
	if (!evtchn_is_pending(port))
		HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
	evtchn_events_restore(saved);
	return evtchn_is_pending(port) ? 0 : -ETIMEDOUT;
}

void evtchn_events_enable(void)
{
	struct vcpu_info *v = xen_vcpu_info();

	v->evtchn_upcall_mask = 0;
	barrier();
	if (v->evtchn_upcall_pending)		/* any hypercall delivers it */
		HYPERVISOR_xen_version(0, 0);
}

void evtchn_stats_get(struct evtchn_stats *s)
{
	*s = stats;
}

/* dispatch_word - handle every pending, unmasked port of word w. */
static void dispatch_word(unsigned int w)
{
	struct shared_info *s = xen_shared_info;
	unsigned long ready;

	while ((ready = s->evtchn_pending[w] & ~s->evtchn_mask[w])) {
		unsigned int bit = __builtin_ctzl(ready);
		evtchn_port_t port = w * WORD_BITS + bit;
		evtchn_handler_fn fn;

		evtchn_clear(port);		/* before the handler: no loss */
		fn = handlers[port].fn;
		if (fn) {
			stats.dispatched++;
			fn(port, handlers[port].arg);
		} else {
			stats.unhandled++;
		}
	}
}

/* The frame of the upcall whose handlers are running, or NULL. */
static const struct trap_frame *upcall_frame;

uint64_t evtchn_interrupted_pc(void)
{
	return upcall_frame ? upcall_frame->rip : 0;
}

void evtchn_upcall(struct trap_frame *f)
{
	struct vcpu_info *v = xen_vcpu_info();
	const struct trap_frame *outer = upcall_frame;

	upcall_frame = f;
	stats.upcalls++;
	while (v->evtchn_upcall_pending) {
		unsigned long sel;

		v->evtchn_upcall_pending = 0;
		sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0,
					  __ATOMIC_SEQ_CST);
		while (sel) {
			unsigned int w = __builtin_ctzl(sel);

			sel &= sel - 1;
			dispatch_word(w);
		}
	}
	upcall_frame = outer;
}
