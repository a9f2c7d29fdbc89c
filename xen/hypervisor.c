/*
 * xen/hypervisor.c - start_info, shared_info, version, time, shutdown.
 */
#include <errno.h>
#include <string.h>
#include <minnow/console.h>
#include <minnow/xen.h>
#include "arch/x86_64/arch.h"
#include "kernel/kernel.h"
#include "xen/hypercall.h"
#include "xen/hypervisor.h"

/*
 * Xen's error numbers, named in its public errno.h: expanded here into
 * a table so each maps to the C library's value of the same name.
 * Two names newlib lacks on this target get stand-ins: ERESTART is
 * Xen-internal (a guest never sees it), EDEADLOCK an alias of EDEADLK.
 */
#define ERESTART EAGAIN
#define EDEADLOCK EDEADLK
static const struct {
	long xen;
	int ours;
} xen_errors[] = {
#define XEN_ERRNO(name, value) { value, name },
#include <xen/errno.h>
#undef XEN_ERRNO
};
#undef ERESTART
#undef EDEADLOCK

int xen_errno(long rc)
{
	if (rc >= 0)
		return 0;
	for (size_t i = 0; i < sizeof(xen_errors) / sizeof(xen_errors[0]); i++)
		if (xen_errors[i].xen == -rc)
			return -xen_errors[i].ours;
	return -EIO;
}

struct start_info *xen_start_info;
struct shared_info *xen_shared_info;

/* A page of .bss whose mapping xen_early_init() replaces by shared_info. */
static char shared_info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* map_shared_info - map the shared_info frame over a .bss page. */
static void map_shared_info(void)
{
	uint64_t pte = (xen_start_info->shared_info & PTE_ADDR) |
		       PTE_P | PTE_RW | PTE_A | PTE_D | cpu_nx_pte();

	if (HYPERVISOR_update_va_mapping((unsigned long)shared_info_page, pte,
					 UVMF_INVLPG))
		kernel_panic("cannot map shared_info");
	xen_shared_info = (struct shared_info *)shared_info_page;
}

void xen_early_init(struct start_info *si)
{
	xen_start_info = si;
	if (strncmp(si->magic, "xen-3.0-x86_64", 14))
		kernel_panic("start_info magic is \"%.32s\", not xen-3.0-x86_64",
			     si->magic);
	map_shared_info();
}

void xen_version_get(struct xen_version_info *v)
{
	long ver = HYPERVISOR_xen_version(XENVER_version, 0);
	xen_extraversion_t extra;

	v->major = (unsigned long)ver >> 16;
	v->minor = ver & 0xffff;
	memset(extra, 0, sizeof(extra));
	if (HYPERVISOR_xen_version(XENVER_extraversion, extra) < 0)
		extra[0] = 0;
	extra[sizeof(extra) - 1] = 0;		/* never trust termination */
	memcpy(v->extra, extra, sizeof(v->extra));
	v->extra[sizeof(v->extra) - 1] = 0;
}

uint32_t xen_version_number(void)
{
	return (uint32_t)HYPERVISOR_xen_version(XENVER_version, 0);
}

unsigned long xen_domain_pages(void)
{
	return xen_start_info->nr_pages;
}

/* scale_delta - (delta << shift) * mul / 2^32, as Xen's time ABI says. */
static uint64_t scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t xen_time_ns(void)
{
	const volatile struct vcpu_time_info *t = &xen_vcpu_info()->time;
	uint32_t version, mul;
	uint64_t tsc_ts, sys, tsc;
	int8_t shift;

	do {	/* an odd or changed version means Xen was updating it */
		version = t->version;
		rmb();
		tsc_ts = t->tsc_timestamp;
		sys = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		tsc = rdtsc();
		rmb();
	} while ((version & 1) || version != t->version);
	return sys + scale_delta(tsc - tsc_ts, mul, shift);
}

uint64_t xen_wallclock_ns(void)
{
	const volatile struct shared_info *s = xen_shared_info;
	uint32_t version;
	uint64_t sec, nsec;

	do {	/* same protocol as vcpu_time_info: odd means updating */
		version = s->wc_version;
		rmb();
		sec = ((uint64_t)s->xen_wc_sec_hi << 32) | s->wc_sec;
		nsec = s->wc_nsec;
		rmb();
	} while ((version & 1) || version != s->wc_version);
	return sec * 1000000000ULL + nsec + xen_time_ns();
}

int xen_runstate_get(struct xen_runstate *out)
{
	struct vcpu_runstate_info r;
	long rc = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &r);

	if (rc) {
		*out = (struct xen_runstate){ 0 };
		return xen_errno(rc);
	}
	out->running_ns = r.time[RUNSTATE_running];
	out->runnable_ns = r.time[RUNSTATE_runnable];
	out->blocked_ns = r.time[RUNSTATE_blocked];
	out->offline_ns = r.time[RUNSTATE_offline];
	return 0;
}

uint64_t xen_cpu_time_ns(void)
{
	struct xen_runstate r;

	xen_runstate_get(&r);
	return r.running_ns;
}
