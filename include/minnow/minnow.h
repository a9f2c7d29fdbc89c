/*
 * minnow/minnow.h - what every Minnow application sees.
 *
 * The application provides `int main(int argc, char **argv)`. argv[0] is
 * the application's name, the other words come from the guest's kernel
 * command line (xl `cmdline=`/`extra=`), split at blanks, with single or
 * double quotes keeping words together and backslash escaping the next
 * character (not inside single quotes).
 *
 * main's return value is the guest's exit: 0 powers the domain off;
 * any other value is printed on the console and the domain shuts down
 * with reason "crash", so that xl's on_crash= policy applies.
 */
#ifndef MINNOW_MINNOW_H
#define MINNOW_MINNOW_H

#include <minnow/console.h>
#include <minnow/xen.h>

/*
 * minnow_exit - end the guest as if main returned status: atexit
 * handlers run and stdio is flushed (it is C's exit()).
 */
void minnow_exit(int status) __attribute__((noreturn));

/* minnow_app_name - the application's name (argv[0]). */
const char *minnow_app_name(void);

/* minnow_boot_ns - Xen time from the kernel's first instruction to main. */
uint64_t minnow_boot_ns(void);

#endif
