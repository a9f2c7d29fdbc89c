/*
 * libc/syscalls.c - the system interface newlib calls (its "libgloss"
 * names) and the few POSIX calls it does not define for this target.
 *
 * There is one process (pid 1), a console on file descriptors 0-2 and
 * no file system: file calls fail with the errno POSIX gives for that
 * situation. Every failure sets errno, which is the calling thread's own
 * (newlib reaches it through __getreent()).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include <minnow/console.h>
#include <minnow/minnow.h>
#include <minnow/net.h>
#include <minnow/sched.h>
#include <minnow/xen.h>
#include "kernel/kernel.h"
#include "libc/syscalls.h"

#define MINNOW_PID 1

/* is_console - file descriptors 0, 1 and 2. */
static int is_console(int fd)
{
	return fd >= 0 && fd <= 2;
}

/*
 * Socket descriptors (NET_SOCKET_FD_FIRST and up) belong to lwIP (net/),
 * which sets errno itself. The references are weak: lwIP's socket layer
 * is in an image only if the application creates sockets, and then
 * these are defined; otherwise they are null and there are no sockets.
 */
extern ssize_t lwip_read(int s, void *mem, size_t len) __attribute__((weak));
extern ssize_t lwip_write(int s, const void *data, size_t size)
	__attribute__((weak));
extern int lwip_close(int s) __attribute__((weak));
extern int lwip_fcntl(int s, int cmd, int val) __attribute__((weak));

/* is_socket - fd is in lwIP's range and lwIP is linked in. */
static int is_socket(int fd)
{
	return fd >= NET_SOCKET_FD_FIRST && lwip_close;
}

/* fail - set errno and return -1. */
static int fail(int err)
{
	errno = err;
	return -1;
}

int _write(int fd, const void *buf, size_t n)
{
	if (is_socket(fd))
		return (int)lwip_write(fd, buf, n);
	if (fd != 1 && fd != 2)
		return fail(EBADF);
	console_write(buf, n);
	return (int)n;
}

int _read(int fd, void *buf, size_t n)
{
	if (is_socket(fd))
		return (int)lwip_read(fd, buf, n);
	if (fd != 0)
		return fail(EBADF);
	return (int)console_read(buf, n);
}

int _close(int fd)
{
	if (is_socket(fd))
		return lwip_close(fd);
	return is_console(fd) ? 0 : fail(EBADF);
}

int _fstat(int fd, struct stat *st)
{
	if (!is_console(fd))
		return fail(EBADF);
	*st = (struct stat){ .st_mode = S_IFCHR | 0620, .st_blksize = 0 };
	return 0;
}

int _isatty(int fd)
{
	if (is_console(fd))
		return 1;
	errno = EBADF;
	return 0;
}

off_t _lseek(int fd, off_t off, int whence)
{
	(void)off;
	(void)whence;
	return is_console(fd) ? fail(ESPIPE) : fail(EBADF);
}

int _open(const char *path, int flags, int mode)
{
	(void)path;
	(void)flags;
	(void)mode;
	return fail(ENOENT);		/* there are no files */
}

int _kill(int pid, int sig)
{
	if (pid != MINNOW_PID)
		return fail(ESRCH);
	if (sig < 1 || sig >= NSIG)
		return fail(EINVAL);
	/* Reached when a signal's action is the default: terminate. */
	kernel_panic("killed by signal %d%s", sig,
		     sig == SIGABRT ? " (abort)" : "");
}

int _getpid(void)
{
	return MINNOW_PID;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
	uint64_t ns = xen_wallclock_ns();

	(void)tz;
	if (tv) {
		tv->tv_sec = ns / 1000000000;
		tv->tv_usec = ns % 1000000000 / 1000;
	}
	return 0;
}

clock_t _times(struct tms *t)
{
	clock_t cpu = xen_cpu_time_ns() / (1000000000 / CLOCKS_PER_SEC);

	if (t)
		*t = (struct tms){ .tms_utime = cpu };
	return xen_time_ns() / (1000000000 / CLOCKS_PER_SEC);
}

void *_sbrk(ptrdiff_t incr)
{
	(void)incr;			/* malloc comes from mm/, not sbrk */
	errno = ENOMEM;
	return (void *)-1;
}

void _exit(int status)
{
	kernel_exit(status);
}

int _unlink(const char *path)
{
	(void)path;
	return fail(ENOENT);
}

int _link(const char *old, const char *new)
{
	(void)old;
	(void)new;
	return fail(ENOENT);
}

int _stat(const char *path, struct stat *st)
{
	(void)path;
	(void)st;
	return fail(ENOENT);
}

int _mkdir(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	return fail(ENOSYS);
}

int _fcntl(int fd, int cmd, int arg)
{
	if (is_socket(fd))
		return lwip_fcntl(fd, cmd, arg);
	(void)cmd;
	(void)arg;
	return is_console(fd) ? fail(EINVAL) : fail(EBADF);
}

int _fork(void)
{
	return fail(ENOSYS);		/* one process, by design */
}

int _execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	return fail(ENOSYS);
}

int _wait(int *status)
{
	(void)status;
	return fail(ECHILD);
}

/* POSIX time calls newlib declares but leaves to the system. */

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	uint64_t ns;

	if (clk == CLOCK_REALTIME)
		ns = xen_wallclock_ns();
	else if (clk == CLOCK_MONOTONIC)
		ns = xen_time_ns();
	else
		return fail(EINVAL);
	ts->tv_sec = ns / 1000000000;
	ts->tv_nsec = ns % 1000000000;
	return 0;
}

int clock_getres(clockid_t clk, struct timespec *res)
{
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return fail(EINVAL);
	if (res)
		*res = (struct timespec){ .tv_sec = 0, .tv_nsec = 1 };
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!req || req->tv_sec < 0 || req->tv_nsec < 0 ||
	    req->tv_nsec >= 1000000000)
		return fail(EINVAL);
	thread_sleep_ns((uint64_t)req->tv_sec * 1000000000 + req->tv_nsec);
	if (rem)
		*rem = (struct timespec){ 0, 0 };
	return 0;
}

unsigned sleep(unsigned int seconds)
{
	thread_sleep_ns((uint64_t)seconds * 1000000000);
	return 0;
}

int usleep(useconds_t us)
{
	thread_sleep_ns((uint64_t)us * 1000);
	return 0;
}
