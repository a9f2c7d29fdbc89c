/*
 * xen/hypercall.h - typed hypercall wrappers (internal to the kernel).
 *
 * One static inline per hypercall the kernel uses, taking the structures
 * of Xen's public headers (Debian's libxen-dev) and returning Xen's
 * result: 0 or a positive value on success, a negative Xen errno on
 * failure.
 */
#ifndef MINNOW_XEN_HYPERCALL_H
#define MINNOW_XEN_HYPERCALL_H

#include <stdint.h>
#include "xen/abi.h"
#include <xen/sched.h>
#include <xen/callback.h>
#include <xen/event_channel.h>
#include <xen/version.h>
#include <xen/memory.h>
#include <xen/vcpu.h>
#include "arch/x86_64/hypercall_raw.h"

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline long HYPERVISOR_set_trap_table(const struct trap_info *t)
{
	return hypercall1(__HYPERVISOR_set_trap_table, t);
}

static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{
	return hypercall2(__HYPERVISOR_callback_op, cmd, arg);
}

static inline long HYPERVISOR_update_va_mapping(unsigned long va,
						uint64_t pte,
						unsigned long flags)
{
	return hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long HYPERVISOR_mmu_update(const struct mmu_update *req,
					 unsigned int count,
					 unsigned int *done, domid_t dom)
{
	return hypercall4(__HYPERVISOR_mmu_update, req, count, done, dom);
}

static inline long HYPERVISOR_mmuext_op(const struct mmuext_op *op,
					unsigned int count,
					unsigned int *done, domid_t dom)
{
	return hypercall4(__HYPERVISOR_mmuext_op, op, count, done, dom);
}

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_xen_version, cmd, arg);
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

static inline long HYPERVISOR_set_timer_op(uint64_t deadline_ns)
{
	return hypercall1(__HYPERVISOR_set_timer_op, deadline_ns);
}

#endif
