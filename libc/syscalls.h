/*
 * libc/syscalls.h - the system-call entry points newlib calls (libgloss
 * names), defined in syscalls.c and wrapped under POSIX names in
 * posix.c. newlib declares them only while it is being built.
 */
#ifndef MINNOW_LIBC_SYSCALLS_H
#define MINNOW_LIBC_SYSCALLS_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/types.h>

int _write(int fd, const void *buf, size_t n);
int _read(int fd, void *buf, size_t n);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
off_t _lseek(int fd, off_t off, int whence);
int _open(const char *path, int flags, int mode);
int _kill(int pid, int sig);
int _getpid(void);
int _gettimeofday(struct timeval *tv, void *tz);
clock_t _times(struct tms *t);
void *_sbrk(ptrdiff_t incr);
void _exit(int status);
int _unlink(const char *path);
int _link(const char *old, const char *new);
int _stat(const char *path, struct stat *st);
int _mkdir(const char *path, mode_t mode);
int _fcntl(int fd, int cmd, int arg);
int _fork(void);
int _execve(const char *path, char *const argv[], char *const envp[]);
int _wait(int *status);

#endif
