/*
 * crash - faults on purpose, to show (and test) the crash report:
 * registers, the faulting address and a symbolized backtrace, then a
 * shutdown with reason "crash".
 *
 *   crash          write through a bad (near-NULL) pointer
 *   crash text     write into the kernel's own code (read-only)
 *   crash exec     jump into a data buffer (not executable)
 *   crash ud2      execute an invalid instruction
 *   crash overflow recurse without end in a thread named "deep"
 *   crash assert   fail an assert() (the C library calls abort())
 */
#include <minnow/minnow.h>
#include <minnow/sched.h>
#include <assert.h>
#include <string.h>

static unsigned char data_buf[64];

/* Kept out of line so the backtrace has a frame of its own to name. */
__attribute__((noinline)) void crash_write_bad_pointer(volatile int *p)
{
	*p = 42;
}

__attribute__((noinline)) static void crash_write_text(void)
{
	*(volatile unsigned char *)(void *)printk = 0xc3;
}

__attribute__((noinline)) static void crash_exec_data(void)
{
	void (*fn)(void) = (void (*)(void))(void *)data_buf;

	data_buf[0] = 0xc3;			/* ret */
	fn();
}

__attribute__((noinline)) static void crash_invalid_opcode(void)
{
	__asm__ volatile("ud2");
}

/*
 * Each level keeps 256 bytes live so the compiler cannot flatten it;
 * the (never reached) limit keeps the compiler from calling it infinite.
 */
__attribute__((noinline)) static int recurse(int depth)
{
	volatile char pad[256];

	pad[0] = (char)depth;
	if (depth > 100000000)
		return pad[0];
	return recurse(depth + 1) + pad[0];
}

static void *overflow_thread(void *arg)
{
	(void)arg;
	return (void *)(long)recurse(0);
}

static void crash_stack_overflow(void)
{
	struct thread_attr attr = { .name = "deep" };
	struct thread *t;

	if (thread_create(&t, &attr, overflow_thread, NULL) == 0)
		thread_join(t, NULL);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "null";

	printk("crash: mode %s\n", mode);
	if (!strcmp(mode, "text"))
		crash_write_text();
	else if (!strcmp(mode, "exec"))
		crash_exec_data();
	else if (!strcmp(mode, "ud2"))
		crash_invalid_opcode();
	else if (!strcmp(mode, "overflow"))
		crash_stack_overflow();
	else if (!strcmp(mode, "assert"))
		assert(argc == 42);
	else
		crash_write_bad_pointer((volatile int *)0x8);
	printk("crash: still alive?!\n");
	return 1;
}
