/*
 * errno.h - error numbers for the freestanding kernel build.
 *
 * The values are the classic Unix ones that newlib uses too, so code
 * written against this header keeps working once newlib's headers take
 * over this directory's role.
 */
#ifndef MINNOW_ERRNO_H
#define MINNOW_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define EIO		5
#define E2BIG		7
#define EBADF		9
#define EAGAIN		11
#define EDEADLK		45
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define EROFS		30
#define ERANGE		34
#define ENOSYS		88
#define ETIMEDOUT	116

#endif
