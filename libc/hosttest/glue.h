/*
 * glue.h - what linux_glue.c shares with the checks in newlib_host_test.c.
 */
#ifndef NEWLIB_HOSTTEST_GLUE_H
#define NEWLIB_HOSTTEST_GLUE_H

#include <reent.h>

/* Size of the static arena behind _sbrk. */
#define TEST_ARENA_SIZE (16UL << 20)

/* Two "threads": __getreent() returns test_current_reent. */
extern struct _reent test_reent_a, test_reent_b;
extern struct _reent *test_current_reent;
extern unsigned long test_getreent_calls;

#endif
