/*
 * linux_glue.c - the OS side of newlib for the host self-check.
 *
 * In the guest Minnow provides these symbols; here they are done with raw
 * Linux system calls so that a -nostdlib -static program linked only
 * against the cached libc.a/libm.a (and libgcc) runs on the build host:
 * _start, the syscall stubs newlib calls (_write, _sbrk, ...), and
 * __getreent, which returns the current "thread"'s struct _reent. The test
 * switches that pointer to prove errno and stdio state are per thread.
 */
#include <errno.h>
#include <reent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <unistd.h>

#include "glue.h"

/* Linux x86_64 system call numbers. */
enum {
	SYS_read = 0,
	SYS_write = 1,
	SYS_close = 3,
	SYS_lseek = 8,
	SYS_getpid = 39,
	SYS_gettimeofday = 96,
	SYS_times = 100,
	SYS_exit_group = 231,
};

static long linux_syscall3(long nr, long a1, long a2, long a3)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Linux returns -errno; newlib wants -1 and errno (the current thread's). */
static long result(long ret)
{
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/* ------------------------------------------------ per-thread reent */

/* The first thread's, initialised statically as Minnow can for its main
   thread. _REENT_INIT leaves trailing fields to zero-initialisation, which
   -Wextra reports. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
struct _reent test_reent_a = _REENT_INIT(test_reent_a);
#pragma GCC diagnostic pop

/* The second one is set up at run time (start_c), as for a new thread. */
struct _reent test_reent_b;

struct _reent *test_current_reent = &test_reent_a;
unsigned long test_getreent_calls;

struct _reent *__getreent(void)
{
	test_getreent_calls++;
	return test_current_reent;
}

/* ------------------------------------------------ syscall stubs */

void _exit(int status)
{
	for (;;)
		linux_syscall3(SYS_exit_group, status, 0, 0);
}

int _write(int fd, const void *buf, size_t len)
{
	return (int)result(linux_syscall3(SYS_write, fd, (long)buf, (long)len));
}

int _read(int fd, void *buf, size_t len)
{
	return (int)result(linux_syscall3(SYS_read, fd, (long)buf, (long)len));
}

/* The console descriptors stay open: newlib closes a thread's std streams
   when its struct _reent is reclaimed. */
int _close(int fd)
{
	if (fd <= 2)
		return 0;
	return (int)result(linux_syscall3(SYS_close, fd, 0, 0));
}

_off_t _lseek(int fd, _off_t off, int whence)
{
	return result(linux_syscall3(SYS_lseek, fd, off, whence));
}

/* newlib's struct stat is not Linux's: describe the console by hand. */
int _fstat(int fd, struct stat *st)
{
	if (fd < 0 || fd > 2) {
		errno = EBADF;
		return -1;
	}
	*st = (struct stat){ .st_mode = S_IFCHR };
	return 0;
}

int _isatty(int fd)
{
	if (fd >= 0 && fd <= 2)
		return 1;
	errno = EBADF;
	return 0;
}

/* Linux's O_* values differ from newlib's; the test opens no file. */
int _open(const char *path, int flags, int mode)
{
	(void)path, (void)flags, (void)mode;
	errno = ENOSYS;
	return -1;
}

int _getpid(void)
{
	return (int)linux_syscall3(SYS_getpid, 0, 0, 0);
}

/* Only raise()/abort() get here: end the process as the signal would. */
int _kill(int pid, int sig)
{
	(void)pid;
	_exit(128 + sig);
}

/* newlib's struct timeval and struct tms have Linux's x86_64 layout. */
int _gettimeofday(struct timeval *tv, void *tz)
{
	return (int)result(linux_syscall3(SYS_gettimeofday, (long)tv, (long)tz, 0));
}

clock_t _times(struct tms *buf)
{
	return (clock_t)result(linux_syscall3(SYS_times, (long)buf, 0, 0));
}

/* The heap: a static arena, as a guest would hand out its free memory. */
static unsigned char arena[TEST_ARENA_SIZE] __attribute__((aligned(4096)));
static size_t arena_used;

void *_sbrk(ptrdiff_t incr)
{
	size_t old = arena_used;

	if (incr > 0 ? (size_t)incr > sizeof(arena) - old
		     : (size_t)-incr > old) {
		errno = ENOMEM;
		return (void *)-1;
	}
	arena_used = old + (size_t)incr;
	return arena + old;
}

/* ------------------------------------------------ entry */

extern void __libc_init_array(void);
int main(int argc, char **argv);
void start_c(long *sp) __attribute__((noreturn, used));

void start_c(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	_REENT_INIT_PTR(&test_reent_b);
	__libc_init_array(); /* constructors; no _init needed */
	exit(main(argc, argv));
}

/* The kernel enters with %rsp at argc; calls need a 16-byte aligned stack
   (SSE code in printf relies on it). */
__asm__(".text\n"
	".globl _start\n"
	".type _start, @function\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	movq %rsp, %rdi\n"
	"	andq $-16, %rsp\n"
	"	call start_c\n"
	"	hlt\n"
	".size _start, . - _start\n");
