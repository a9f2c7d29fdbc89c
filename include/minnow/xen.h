/*
 * minnow/xen.h - facts about the hypervisor the guest runs on.
 */
#ifndef MINNOW_XEN_H
#define MINNOW_XEN_H

#include <stdint.h>

struct xen_version_info {
	unsigned int major;
	unsigned int minor;
	char extra[16];		/* e.g. ".7", NUL-terminated */
};

/* xen_version_get - fill *v from XENVER_version/XENVER_extraversion. */
void xen_version_get(struct xen_version_info *v);

/*
 * xen_version_number - (major << 16) | minor, straight from one
 * XENVER_version hypercall (the cheapest hypercall there is).
 */
uint32_t xen_version_number(void);

/*
 * xen_time_ns - Xen system time: nanoseconds since the host booted,
 * monotonic, from this vCPU's vcpu_time_info scaled by the TSC.
 */
uint64_t xen_time_ns(void);

/*
 * xen_wallclock_ns - wall-clock time: nanoseconds since the Unix epoch,
 * as the host's clock says (Xen's wallclock at boot + system time).
 */
uint64_t xen_wallclock_ns(void);

/* xen_cpu_time_ns - CPU time this vCPU has run, from Xen's runstate. */
uint64_t xen_cpu_time_ns(void);

/* Where this vCPU's time went since the domain was created, as Xen
 * accounts it: running (guest code and Xen's work on its behalf),
 * runnable (ready, waiting for a physical CPU), blocked (waiting for an
 * event or timer) and offline. */
struct xen_runstate {
	uint64_t running_ns;
	uint64_t runnable_ns;
	uint64_t blocked_ns;
	uint64_t offline_ns;
};

/* xen_runstate_get - fill *r (one VCPUOP_get_runstate_info); 0, or a
 * negative errno from Xen, *r then zeroed. */
int xen_runstate_get(struct xen_runstate *r);

/* xen_domain_pages - pages of memory Xen gave this domain (start_info). */
unsigned long xen_domain_pages(void);

#endif
