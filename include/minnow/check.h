/*
 * minnow/check.h - a small runner for applications that check
 * themselves inside a guest (selftest, xstest, granttest...): one
 * verdict line per check, "<prefix>PASS <name>" or "<prefix>FAIL
 * <name>: <why>", then "<prefix>N passed, N failed", in the form the
 * testbed scenarios forward as verdicts of their own.
 *
 * A check returns 0, or CHECK_FAIL("format", ...) which records why and
 * returns -1. Header-only: include it in the one file that has main.
 */
#ifndef MINNOW_CHECK_H
#define MINNOW_CHECK_H

#include <stdio.h>
#include <string.h>

struct minnow_check {
	const char *name;
	int (*fn)(void);
	int only_when_named;	/* skipped unless named on the command line */
};

static char check_why[256];

#define CHECK_FAIL(...) \
	(snprintf(check_why, sizeof(check_why), __VA_ARGS__), -1)

/* check_wanted - run c? All usual checks when no names were given. */
static inline int check_wanted(const struct minnow_check *c, int argc,
			       char **argv)
{
	if (argc < 2)
		return !c->only_when_named;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], c->name))
			return 1;
	return 0;
}

/*
 * run_checks - run the wanted checks in order, printing verdicts and
 * the summary. Returns the number that failed.
 */
static inline int run_checks(const char *prefix,
			     const struct minnow_check *checks, int n,
			     int argc, char **argv)
{
	int passed = 0, failed = 0;

	for (int i = 0; i < n; i++) {
		if (!check_wanted(&checks[i], argc, argv))
			continue;
		check_why[0] = 0;
		if (checks[i].fn() == 0) {
			passed++;
			printf("%sPASS %s\n", prefix, checks[i].name);
		} else {
			failed++;
			printf("%sFAIL %s: %s\n", prefix, checks[i].name,
			       check_why);
		}
	}
	printf("%s%d passed, %d failed\n", prefix, passed, failed);
	return failed;
}

#endif
