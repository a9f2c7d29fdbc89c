/*
 * xstest - xenstore and toolstack-control checks inside a guest, one
 * verdict line each ("xstest: PASS <check>" / "xstest: FAIL <check>:
 * <check_why>") and a summary; exits non-zero if any failed.
 *
 *   xstest                run the checks (the scenario's dom0 part
 *                         answers the one that needs dom0)
 *   xstest wait-shutdown  print "xstest: waiting" and sleep until the
 *                         toolstack stops the domain; the shutdown hook
 *                         prints the reason
 *   xstest xenbus         frontend handshake checks on vif 0 (the guest
 *                         needs vif=['bridge=xenbr0'])
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/check.h>
#include <minnow/minnow.h>
#include <minnow/sched.h>
#include <minnow/xenbus.h>
#include <minnow/xenstore.h>


#define FAIL CHECK_FAIL

static int check_read_write(void)
{
	char *v;
	size_t len;
	int rc;

	if (xs_domid() <= 0)
		return FAIL("domid %d", xs_domid());
	if ((rc = xs_write(XS_TX_NONE, "data/xstest/a", "hello world")))
		return FAIL("write: %d", rc);
	if ((rc = xs_read(XS_TX_NONE, "data/xstest/a", &v, &len)))
		return FAIL("read back: %d", rc);
	rc = strcmp(v, "hello world") || len != 11;
	free(v);
	if (rc)
		return FAIL("read back a different value");
	if ((rc = xs_read(XS_TX_NONE, "data/xstest/none", &v, NULL)) != -ENOENT)
		return FAIL("missing node gave %d, wanted -ENOENT", rc);
	if ((rc = xs_write(XS_TX_NONE, "/local/domain/0/xstest", "x")) != -EACCES)
		return FAIL("write into dom0's tree gave %d, wanted -EACCES", rc);
	return 0;
}

static int check_directory(void)
{
	char **names;
	unsigned int n;
	int rc, seen = 0;

	xs_write(XS_TX_NONE, "data/xstest/dir/one", "1");
	xs_write(XS_TX_NONE, "data/xstest/dir/two", "2");
	xs_mkdir(XS_TX_NONE, "data/xstest/dir/three");
	if ((rc = xs_directory(XS_TX_NONE, "data/xstest/dir", &names, &n)))
		return FAIL("directory: %d", rc);
	for (unsigned int i = 0; i < n; i++) {
		if (!strcmp(names[i], "one"))
			seen |= 1;
		else if (!strcmp(names[i], "two"))
			seen |= 2;
		else if (!strcmp(names[i], "three"))
			seen |= 4;
	}
	free(names);
	if (n != 3 || seen != 7)
		return FAIL("listed %u names (mask %d)", n, seen);
	if ((rc = xs_rm(XS_TX_NONE, "data/xstest/dir")))
		return FAIL("rm: %d", rc);
	if (xs_directory(XS_TX_NONE, "data/xstest/dir", &names, &n) != -ENOENT)
		return FAIL("directory still there after rm");
	return 0;
}

static int add_one(xs_tx_t tx, void *arg)
{
	unsigned long long v = 0;

	(void)arg;
	xs_read_ull(tx, "data/xstest/counter", &v);
	return xs_printf(tx, "data/xstest/counter", "%llu", v + 1);
}

static int check_transactions(void)
{
	xs_tx_t t1, t2;
	unsigned long long v;
	char *s;
	int rc;

	xs_write(XS_TX_NONE, "data/xstest/counter", "0");
	/* Two transactions touch the same node: the later commit loses. */
	if (xs_transaction_start(&t1) || xs_transaction_start(&t2))
		return FAIL("transaction_start failed");
	xs_read(t1, "data/xstest/counter", &s, NULL);
	free(s);
	xs_write(t2, "data/xstest/counter", "5");
	if ((rc = xs_transaction_end(t2, 0)))
		return FAIL("first commit: %d", rc);
	xs_write(t1, "data/xstest/counter", "7");
	if ((rc = xs_transaction_end(t1, 0)) != -EAGAIN)
		return FAIL("conflicting commit gave %d, wanted -EAGAIN", rc);
	for (int i = 0; i < 10; i++)
		if ((rc = xs_transaction_run(add_one, NULL)))
			return FAIL("transaction_run: %d", rc);
	if (xs_read_ull(XS_TX_NONE, "data/xstest/counter", &v) || v != 15)
		return FAIL("counter is %llu, wanted 15", v);
	return 0;
}

static void *writer(void *arg)
{
	char path[64], *v;
	long id = (long)arg, bad = 0;

	for (int i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "data/xstest/par/%ld", id);
		xs_printf(XS_TX_NONE, path, "%ld-%d", id, i);
		if (xs_read(XS_TX_NONE, path, &v, NULL)) {
			bad++;
			continue;
		}
		snprintf(path, sizeof(path), "%ld-%d", id, i);
		bad += strcmp(v, path) != 0;
		free(v);
	}
	return (void *)bad;
}

static int check_parallel(void)
{
	struct thread *t[8];
	void *bad;
	long total = 0;

	for (long i = 0; i < 8; i++)
		thread_create(&t[i], NULL, writer, (void *)i);
	for (int i = 0; i < 8; i++) {
		thread_join(t[i], &bad);
		total += (long)bad;
	}
	return total ? FAIL("%ld wrong replies among 8 threads", total) : 0;
}

static int check_watch(void)
{
	struct xs_watch w;
	char *path;
	int rc;

	if ((rc = xs_watch(&w, "data/xstest/w")))
		return FAIL("watch: %d", rc);
	if (xs_watch_wait(&w, NULL, xen_time_ns() + 5000000000ULL))
		return FAIL("no initial watch event");
	xs_write(XS_TX_NONE, "data/xstest/w/leaf", "x");
	if (xs_watch_wait(&w, &path, xen_time_ns() + 5000000000ULL))
		return FAIL("no event after a write below the watch");
	rc = !strstr(path, "data/xstest/w");
	free(path);
	xs_unwatch(&w);
	return rc ? FAIL("event for an unexpected path") : 0;
}

/* dom0 answers "xstest: ready" by writing data/from-dom0 in our tree. */
static int check_dom0(void)
{
	struct xs_watch w;
	char *v = NULL;
	uint64_t deadline = xen_time_ns() + 60000000000ULL;
	int rc;

	xs_write(XS_TX_NONE, "data/to-dom0", "42");
	if (xs_watch(&w, "data/from-dom0"))
		return FAIL("watch failed");
	printf("xstest: ready\n");
	while (xs_read(XS_TX_NONE, "data/from-dom0", &v, NULL))
		if (xs_watch_wait(&w, NULL, deadline) == -ETIMEDOUT) {
			xs_unwatch(&w);
			return FAIL("dom0 never wrote data/from-dom0");
		}
	xs_unwatch(&w);
	rc = strcmp(v, "hello from dom0");
	free(v);
	return rc ? FAIL("dom0 wrote something else") : 0;
}

/* The vif's handshake without rings: find it, see the backend wait for
 * us, close it again. (netfront completes the handshake.) */
static int check_xenbus_vif(void)
{
	struct xenbus_dev d;
	unsigned int ids[4];
	char path[64], *mac;
	int n, rc, state, domid = xs_domid();

	n = xenbus_list("vif", ids, 4);
	if (n != 1 || ids[0] != 0)
		return FAIL("xenbus_list(vif) gave %d (first %u)", n, ids[0]);
	if ((rc = xenbus_open(&d, "vif", 0)))
		return FAIL("xenbus_open: %d", rc);
	snprintf(path, sizeof(path), "/local/domain/0/backend/vif/%d/0", domid);
	if (strcmp(d.backend, path) || d.backend_id != 0)
		return FAIL("backend %s in domain %d", d.backend, d.backend_id);
	xenbus_path(&d, "mac", path, sizeof(path));
	if (xs_read(XS_TX_NONE, path, &mac, NULL) || strlen(mac) != 17)
		return FAIL("no MAC address in %s", path);
	free(mac);
	if ((rc = xenbus_wait_backend(&d, XENBUS_STATE_BIT(2), 30000000000ULL,
				      &state)))
		return FAIL("backend never reached InitWait: %d", rc);
	if ((rc = xenbus_close(&d)))
		return FAIL("close: %d (backend state %d)", rc,
			    xenbus_backend_state(&d));
	if ((rc = xenbus_open(&d, "vif", 7)) != -ENODEV)
		return FAIL("a missing vif gave %d, wanted -ENODEV", rc);
	if (xenbus_list("vbd", ids, 4) != 0)
		return FAIL("a vbd was listed");
	return 0;
}

static void on_shutdown(int reason)
{
	printf("xstest: shutdown hook, reason %d\n", reason);
}

static const struct minnow_check checks[] = {
	{ "read_write", check_read_write, 0 },
	{ "directory", check_directory, 0 },
	{ "transactions", check_transactions, 0 },
	{ "parallel", check_parallel, 0 },
	{ "watch", check_watch, 0 },
	{ "dom0", check_dom0, 0 },
};

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "wait-shutdown")) {
		minnow_set_shutdown_hook(on_shutdown);
		printf("xstest: waiting\n");
		for (;;)
			thread_sleep_ns(1000000000ULL);
	}
	if (argc > 1 && !strcmp(argv[1], "xenbus")) {
		int rc = check_xenbus_vif();

		printf("xstest: %s xenbus_vif%s%s\n", rc ? "FAIL" : "PASS",
		       rc ? ": " : "", rc ? check_why : "");
		return rc ? 1 : 0;
	}
	return run_checks("xstest: ", checks,
			  (int)(sizeof(checks) / sizeof(checks[0])), argc, argv) ? 1 : 0;
}
