/*
 * test_l2fdb.c - the l2fwd example's forwarding database: learning,
 * moves, ageing, group addresses, and a flood of forged source
 * addresses checked against a model (the table may forget stations,
 * never give a wrong port).
 */
#include <stdlib.h>
#include <string.h>
#include "examples/l2fwd/fdb.c"
#include "unit.h"

#define SEC 1000000000ULL

static struct fdb f;

static void mac_of(uint8_t m[6], unsigned int n)
{
	m[0] = 0x02;		/* locally administered, individual */
	m[1] = 0;
	m[2] = (uint8_t)(n >> 24);
	m[3] = (uint8_t)(n >> 16);
	m[4] = (uint8_t)(n >> 8);
	m[5] = (uint8_t)n;
}

static void learn_and_move(void)
{
	uint8_t a[6], b[6];

	fdb_init(&f, 300 * SEC);
	mac_of(a, 1);
	mac_of(b, 2);
	EXPECT(fdb_lookup(&f, a, 0) == -1, "unknown station must flood");
	fdb_learn(&f, a, 0, 1);
	fdb_learn(&f, b, 1, 2);
	EXPECT(fdb_lookup(&f, a, 3) == 0, "a: got %d", fdb_lookup(&f, a, 3));
	EXPECT(fdb_lookup(&f, b, 3) == 1, "b: got %d", fdb_lookup(&f, b, 3));
	fdb_learn(&f, a, 1, 4);
	EXPECT(fdb_lookup(&f, a, 5) == 1 && f.moved == 1,
	       "a moved: port %d, moved %lu", fdb_lookup(&f, a, 5), f.moved);
	EXPECT(f.learned == 2, "learned %lu, expected 2", f.learned);
}

static void ageing(void)
{
	uint8_t a[6];

	fdb_init(&f, 10 * SEC);
	mac_of(a, 7);
	fdb_learn(&f, a, 3, 5 * SEC);
	EXPECT(fdb_lookup(&f, a, 15 * SEC) == 3, "fresh at the limit");
	EXPECT(fdb_lookup(&f, a, 15 * SEC + 1) == -1, "aged out must flood");
	fdb_learn(&f, a, 2, 20 * SEC);
	EXPECT(fdb_lookup(&f, a, 21 * SEC) == 2 && f.moved == 0,
	       "relearned after ageing: port %d moved %lu",
	       fdb_lookup(&f, a, 21 * SEC), f.moved);
}

static void group_addresses(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };

	fdb_init(&f, 300 * SEC);
	fdb_learn(&f, bcast, 1, 1);
	fdb_learn(&f, mcast, 1, 1);
	EXPECT(f.learned == 0, "a group address was learned");
	EXPECT(fdb_lookup(&f, bcast, 2) == -1 && fdb_lookup(&f, mcast, 2) == -1,
	       "group addresses must flood");
}

/* forged_flood - 200000 random source addresses over 4 ports, with a
 * few real stations talking all along: a lookup is -1 or the port the
 * model last saw, and the real stations stay known. */
static void forged_flood(void)
{
	static unsigned char model[4096];	/* port + 1, by station number */
	uint8_t m[6];
	uint64_t now = 0;

	fdb_init(&f, 300 * SEC);
	srand(5);
	for (int step = 0; step < 200000 && !unit_failures; step++) {
		unsigned int n = (unsigned int)rand() % 4096, port = rand() % 4;
		int got;

		now += 1000;
		if (step % 16 == 0)
			n = (unsigned int)step / 16 % 4;	/* stations 0-3 */
		mac_of(m, n);
		fdb_learn(&f, m, n < 4 ? n : port, now);
		model[n] = (unsigned char)((n < 4 ? n : port) + 1);
		n = (unsigned int)rand() % 4096;
		mac_of(m, n);
		got = fdb_lookup(&f, m, now);
		EXPECT(got == -1 || got + 1 == model[n],
		       "station %u: fdb says port %d, last seen on %d", n, got,
		       model[n] - 1);
	}
	for (unsigned int n = 0; n < 4; n++) {
		mac_of(m, n);
		EXPECT(fdb_lookup(&f, m, now) == (int)n,
		       "busy station %u forgotten (port %d)", n,
		       fdb_lookup(&f, m, now));
	}
}

int main(void)
{
	static const struct unit units[] = { UNIT(learn_and_move), UNIT(ageing),
		UNIT(group_addresses), UNIT(forged_flood) };

	return RUN_UNITS("l2fdb", units);
}
