/*
 * tests/unit/unit.h - a minimal harness for host unit tests.
 *
 * Each test case is a function; EXPECT records a failure with what was
 * expected and what was seen. run_units() prints one verdict line per
 * case ("PASS: suite.case" or "FAIL: suite.case: <first failure>") and
 * returns the number of failed cases, which is the binary's exit code.
 */
#ifndef MINNOW_TESTS_UNIT_H
#define MINNOW_TESTS_UNIT_H

#include <stdio.h>

struct unit {
	const char *name;
	void (*fn)(void);
};

static const char *unit_current;
static int unit_failures;

#define EXPECT(cond, ...) do {						\
	if (!(cond)) {							\
		if (!unit_failures++) {					\
			printf("FAIL: %s: ", unit_current);		\
			printf(__VA_ARGS__);				\
			printf(" (%s:%d)\n", __FILE__, __LINE__);	\
		}							\
	}								\
} while (0)

/* run_units - run every case of a suite; returns how many failed. */
static inline int run_units(const char *suite, const struct unit *u, int n)
{
	char name[128];
	int failed = 0;

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s.%s", suite, u[i].name);
		unit_current = name;
		unit_failures = 0;
		u[i].fn();
		if (unit_failures)
			failed++;
		else
			printf("PASS: %s\n", name);
		fflush(stdout);
	}
	return failed;
}

#define UNIT(fn) { #fn, fn }
#define RUN_UNITS(suite, arr) \
	run_units(suite, arr, (int)(sizeof(arr) / sizeof(arr[0])))

#endif
