/*
 * pktgen - the raw transmit row of the I/O benchmarks
 * (scripts/iobench.sh): minimum-size Ethernet frames (60 bytes) through
 * netfront's packet API, in batches of BATCH (netfront_send_batch), as
 * fast as the backend takes them, for SECONDS; bench/linux/io.c does the
 * same with an AF_PACKET socket and sendmmsg. The frames go to a MAC no
 * one has (02:00:00:00:00:99), so dom0's bridge floods them and drops
 * them; nothing answers.
 *
 * Prints "bench: raw_tx_60 RATE frames/s" and "bench: done", then
 * powers off.
 *
 *   pktgen [SECONDS]     default 5
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <minnow/minnow.h>
#include <minnow/netfront.h>
#include <minnow/xen.h>

#define FRAME	60
#define BATCH	32

int main(int argc, char **argv)
{
	static uint8_t frame[FRAME];
	struct netfront_frame batch[BATCH];
	double secs = argc > 1 ? atof(argv[1]) : 5;
	uint64_t t0, end, sent = 0, refused = 0;
	struct netfront_stats st;
	struct netfront *nf;
	int rc = netfront_open(0, &nf);

	if (rc || secs <= 0 || secs > 600) {
		printf("pktgen: %s\n", rc ? strerror(-rc) : "bad SECONDS");
		return 1;
	}
	memcpy(frame, "\x02\0\0\0\0\x99", 6);
	netfront_mac(nf, frame + 6);
	frame[12] = 0x88;		/* a local experimental ethertype */
	frame[13] = 0xb5;
	for (int i = 0; i < BATCH; i++)
		batch[i] = (struct netfront_frame){ frame, FRAME, 0 };
	t0 = xen_time_ns();
	end = t0 + (uint64_t)(secs * 1e9);
	while (xen_time_ns() < end) {
		int n = netfront_send_batch(nf, batch, BATCH);

		if (n < 0) {
			refused++;
			if (n != -EAGAIN)
				break;
			continue;
		}
		sent += (uint64_t)n;
	}
	printf("bench: raw_tx_60 %.1f frames/s\n",
	       (double)sent / ((double)(xen_time_ns() - t0) / 1e9));
	netfront_stats_get(nf, &st);
	printf("pktgen: %llu frames sent, %llu batches refused; the backend "
	       "answered %lu frames with an error\n", (unsigned long long)sent,
	       (unsigned long long)refused, st.tx_errors);
	printf("bench: done\n");
	netfront_close(nf);
	return 0;
}
