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

/*
 * minnow_set_shutdown_hook - fn(reason) runs (in a thread of its own)
 * when the toolstack asks the domain to stop: `xl shutdown` gives
 * MINNOW_SHUTDOWN_POWEROFF, `xl reboot` MINNOW_SHUTDOWN_REBOOT. When it
 * returns, stdio is flushed and the domain shuts down with that reason.
 */
#define MINNOW_SHUTDOWN_POWEROFF	0
#define MINNOW_SHUTDOWN_REBOOT		1
void minnow_set_shutdown_hook(void (*fn)(int reason));

/* minnow_app_name - the application's name (argv[0]). */
const char *minnow_app_name(void);

/* minnow_boot_ns - Xen time from the kernel's first instruction to main. */
uint64_t minnow_boot_ns(void);

#endif
