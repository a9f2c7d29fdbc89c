/*
 * libc/posix.c - the POSIX names of the system calls. newlib itself
 * calls the underscore names (libc/syscalls.c); applications call these.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <unistd.h>
#include "libc/syscalls.h"

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
	return _write(fd, buf, n);
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
	return _read(fd, buf, n);
}

int close(int fd)
{
	return _close(fd);
}

int fstat(int fd, struct stat *st)
{
	return _fstat(fd, st);
}

int isatty(int fd)
{
	return _isatty(fd);
}

off_t lseek(int fd, off_t off, int whence)
{
	return _lseek(fd, off, whence);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int mode = 0;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	return _open(path, flags, mode);
}

int kill(pid_t pid, int sig)
{
	return _kill(pid, sig);
}

pid_t getpid(void)
{
	return _getpid();
}

int gettimeofday(struct timeval *tv, void *tz)
{
	return _gettimeofday(tv, tz);
}

clock_t times(struct tms *t)
{
	return _times(t);
}

int unlink(const char *path)
{
	return _unlink(path);
}

int link(const char *old, const char *new)
{
	return _link(old, new);
}

int stat(const char *path, struct stat *st)
{
	return _stat(path, st);
}

int mkdir(const char *path, mode_t mode)
{
	return _mkdir(path, mode);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	int arg;

	va_start(ap, cmd);
	arg = va_arg(ap, int);
	va_end(ap);
	return _fcntl(fd, cmd, arg);
}

pid_t fork(void)
{
	return _fork();
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return _execve(path, argv, envp);
}

pid_t wait(int *status)
{
	return _wait(status);
}

void *sbrk(ptrdiff_t incr)
{
	return _sbrk(incr);
}
