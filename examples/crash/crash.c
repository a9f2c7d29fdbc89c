/*
 * crash - dereferences a bad pointer on purpose, to show (and test) the
 * crash report: registers, the faulting address and a symbolized
 * backtrace, then a shutdown with reason "crash".
 */
#include <minnow/minnow.h>

/* Kept out of line so the backtrace has a frame of its own to name. */
__attribute__((noinline)) void crash_write_bad_pointer(volatile int *p)
{
	*p = 42;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printk("crash: writing through a bad pointer\n");
	crash_write_bad_pointer((volatile int *)0x8);
	printk("crash: still alive?!\n");
	return 1;
}
