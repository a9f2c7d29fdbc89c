/*
 * arch/sys_arch.h - the types of lwIP's operating-system layer
 * (lwip/sys.h) over Minnow's cooperative threads; the functions are in
 * net/sys_arch.c.
 */
#ifndef MINNOW_LWIP_ARCH_SYS_ARCH_H
#define MINNOW_LWIP_ARCH_SYS_ARCH_H

#include <minnow/sched.h>

typedef struct sys_sem {
	struct semaphore sem;
	int valid;
} sys_sem_t;

typedef struct sys_mutex {
	struct mutex mutex;
	int valid;
} sys_mutex_t;

/* A bounded FIFO of pointers: a ring of size slots. */
typedef struct sys_mbox {
	void **slots;
	int size, head, count;
	struct waitq readers;	/* wait for a message */
	struct waitq writers;	/* wait for a free slot */
	int valid;
} sys_mbox_t;

typedef struct thread *sys_thread_t;

#define sys_sem_valid(s)		((s)->valid)
#define sys_sem_set_invalid(s)		((s)->valid = 0)
#define sys_mutex_valid(m)		((m)->valid)
#define sys_mutex_set_invalid(m)	((m)->valid = 0)
#define sys_mbox_valid(b)		((b)->valid)
#define sys_mbox_set_invalid(b)		((b)->valid = 0)

/*
 * SYS_ARCH_PROTECT guards lwIP's short critical sections (pool and heap
 * bookkeeping, pbuf reference counts) against whatever can interrupt
 * them. Here nothing can: threads are cooperative and these sections
 * never block, so no other thread runs inside one; event handlers do
 * interrupt threads, but none calls lwIP (netfront hands frames over in
 * its own thread, lwIP's timers run in tcpip_thread, sys_now() only
 * reads the clock). So the protection is empty.
 */
#define SYS_ARCH_DECL_PROTECT(lev)
#define SYS_ARCH_PROTECT(lev)
#define SYS_ARCH_UNPROTECT(lev)

#endif
