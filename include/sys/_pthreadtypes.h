/*
 * sys/_pthreadtypes.h - Minnow's pthread types.
 *
 * newlib's <sys/types.h> includes this header for the POSIX thread
 * types; this copy comes first on the include path and replaces
 * newlib's, whose types are integer handles for a different thread
 * layer. Minnow's pthreads are thin wrappers over <minnow/sched.h>.
 */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_

#include <minnow/sched.h>

typedef struct thread *pthread_t;

typedef struct {
	size_t stacksize;	/* 0: THREAD_STACK_DEFAULT */
	int detachstate;	/* PTHREAD_CREATE_* */
	int is_initialized;
} pthread_attr_t;

typedef struct {
	struct mutex m;
	int type;		/* PTHREAD_MUTEX_* */
	unsigned int depth;	/* recursive mutexes: times locked */
} pthread_mutex_t;

typedef struct {
	int type;
	int is_initialized;
} pthread_mutexattr_t;

typedef struct {
	struct cond c;
	int clock;		/* CLOCK_REALTIME or CLOCK_MONOTONIC */
} pthread_cond_t;

typedef struct {
	int clock;
	int is_initialized;
} pthread_condattr_t;

typedef unsigned int pthread_key_t;

typedef struct {
	int state;		/* 0: not run, 1: running, 2: done */
} pthread_once_t;

#endif
