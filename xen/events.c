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
#include "xen/abi.h"
#include <xen/sched.h>
#include "arch/x86_64/arch.h"
#include "xen/events.h"
#include "xen/hypercall.h"
#include "xen/hypervisor.h"

#define NR_PORTS	((evtchn_port_t)(sizeof(unsigned long) * 8 * sizeof(unsigned long) * 8))
#define WORD_BITS	(sizeof(unsigned long) * 8)

struct trap_frame;
void evtchn_upcall(struct trap_frame *f);

static struct {
	evtchn_handler_fn fn;
	void *arg;
} handlers[NR_PORTS];

static unsigned long upcalls;

int evtchn_set_handler(evtchn_port_t port, evtchn_handler_fn fn, void *arg)
{
	if (port >= NR_PORTS)
		return -EINVAL;
	handlers[port].arg = arg;
	barrier();
	handlers[port].fn = fn;
	return 0;
}

int evtchn_notify(evtchn_port_t port)
{
	struct evtchn_send send = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &send) ? -EINVAL : 0;
}

void evtchn_clear(evtchn_port_t port)
{
	__atomic_fetch_and(&xen_shared_info->evtchn_pending[port / WORD_BITS],
			   ~(1UL << (port % WORD_BITS)), __ATOMIC_SEQ_CST);
}

void evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	/* Xen re-raises the upcall if the port became pending while masked. */
	HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

/* port_pending - is port's pending bit set? */
static int port_pending(evtchn_port_t port)
{
	return (xen_shared_info->evtchn_pending[port / WORD_BITS] >>
		(port % WORD_BITS)) & 1;
}

int evtchn_poll(evtchn_port_t port, uint64_t deadline_ns)
{
	struct vcpu_info *v = xen_vcpu_info();
	uint8_t saved = v->evtchn_upcall_mask;
	struct sched_poll poll = { .nr_ports = 1, .timeout = deadline_ns };

	set_xen_guest_handle(poll.ports, &port);
	v->evtchn_upcall_mask = 1;		/* poll wants upcalls masked */
	barrier();
	if (!port_pending(port))
		HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
	barrier();
	v->evtchn_upcall_mask = saved;
	barrier();
	if (!saved && v->evtchn_upcall_pending)	/* deliver what we held */
		HYPERVISOR_xen_version(0, 0);
	return port_pending(port) ? 0 : -ETIMEDOUT;
}

void evtchn_events_enable(void)
{
	struct vcpu_info *v = xen_vcpu_info();

	v->evtchn_upcall_mask = 0;
	barrier();
	if (v->evtchn_upcall_pending)		/* any hypercall delivers it */
		HYPERVISOR_xen_version(0, 0);
}

unsigned long evtchn_upcall_count(void)
{
	return upcalls;
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
		if (fn)
			fn(port, handlers[port].arg);
	}
}

void evtchn_upcall(struct trap_frame *f)
{
	struct vcpu_info *v = xen_vcpu_info();

	(void)f;
	upcalls++;
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
}
