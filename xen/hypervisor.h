/*
 * xen/hypervisor.h - the guest's view of Xen (internal): start_info,
 * shared_info, frame number translation.
 */
#ifndef MINNOW_XEN_HYPERVISOR_H
#define MINNOW_XEN_HYPERVISOR_H

#include <stdint.h>
#include "xen/abi.h"

/* The start_info page Xen handed us at boot. */
extern struct start_info *xen_start_info;

/* The shared_info page, mapped by xen_early_init(). */
extern struct shared_info *xen_shared_info;

/* xen_vcpu_info - vCPU 0's slot in shared_info. */
static inline struct vcpu_info *xen_vcpu_info(void)
{
	return &xen_shared_info->vcpu_info[0];
}

/* mfn_to_pfn - Xen's machine-to-physical table, readable by the guest. */
static inline unsigned long mfn_to_pfn(unsigned long mfn)
{
	return ((const unsigned long *)MACH2PHYS_VIRT_START)[mfn];
}

/* pfn_to_mfn - the physical-to-machine list Xen built for us. */
static inline unsigned long pfn_to_mfn(unsigned long pfn)
{
	return ((const unsigned long *)xen_start_info->mfn_list)[pfn];
}

/*
 * xen_errno - a hypercall result as 0 or our -errno (Xen's numbers are
 * Linux's; newlib's differ for some names). Unknown codes give -EIO.
 */
int xen_errno(long rc);

/*
 * xen_early_init - remember start_info (its magic checked) and map
 * shared_info, before anything else runs: Xen time works right after.
 * Panics on a start_info we cannot use.
 */
void xen_early_init(struct start_info *si);


#endif
