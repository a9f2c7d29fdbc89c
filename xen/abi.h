/*
 * xen/abi.h - Xen's public interface headers (Debian's libxen-dev), for
 * kernel code. Those headers expect <stdint.h> first; include this one
 * instead of <xen/xen.h> so the order is always right.
 */
#ifndef MINNOW_XEN_ABI_H
#define MINNOW_XEN_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

#endif
