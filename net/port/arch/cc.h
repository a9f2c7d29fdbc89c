/*
 * arch/cc.h - lwIP's compiler and C-library glue for Minnow (x86_64,
 * gcc, newlib). Included first by every lwIP file (through lwip/arch.h).
 */
#ifndef MINNOW_LWIP_ARCH_CC_H
#define MINNOW_LWIP_ARCH_CC_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>		/* newlib's O_NONBLOCK, F_GETFL, F_SETFL */
#include <sys/time.h>		/* struct timeval (LWIP_TIMEVAL_PRIVATE) */
#include <sys/select.h>		/* newlib's fd_set and FD_SETSIZE */
#include <minnow/console.h>

#define BYTE_ORDER		LITTLE_ENDIAN

/* newlib has ssize_t (long) but no SSIZE_MAX, without which lwIP would
 * typedef its own ssize_t as int. */
#ifndef SSIZE_MAX
#define SSIZE_MAX		LONG_MAX
#endif

/* Messages only appear with LWIP_DEBUG or lwIP's stats_display(). */
#define LWIP_PLATFORM_DIAG(x)	do { printf x; } while (0)

/* A broken lwIP invariant is a bug: say where, then crash with a report
 * (abort() ends in the kernel's panic, which prints a backtrace). */
#define LWIP_PLATFORM_ASSERT(x)	do { \
		printk("lwIP assertion \"%s\" failed at %s:%d\n", \
		       (x), __FILE__, __LINE__); \
		abort(); \
	} while (0)

/*
 * Debian's "port" patch to sockets.c fills sockaddr lengths through these
 * (its Hurd port defines them); lwIP's own struct sockaddr has sa_len, so
 * they do what upstream lwIP does.
 */
#define IP4ADDR_SOCKADDR_SET_LEN(sin) \
	((sin)->sin_len = sizeof(struct sockaddr_in))
#define IP6ADDR_SOCKADDR_SET_LEN(sin6) \
	((sin6)->sin6_len = sizeof(struct sockaddr_in6))
#define IPADDR_SOCKADDR_GET_LEN(addr)	((addr)->sa.sa_len)

#endif
