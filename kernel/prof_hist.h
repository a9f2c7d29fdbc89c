/*
 * kernel/prof_hist.h - the sampling profiler's histogram: how many
 * samples fell on each key (a function's start, or a hypercall), in a
 * fixed table filled from the event upcall. Pure code: host-tested.
 */
#ifndef MINNOW_KERNEL_PROF_HIST_H
#define MINNOW_KERNEL_PROF_HIST_H

#include <stdint.h>

struct prof_slot {
	uint64_t key;
	unsigned long count;		/* 0: the slot is free */
};

struct prof_hist {
	struct prof_slot *slots;
	unsigned int nslots;		/* a power of two */
	unsigned int used;		/* slots holding a key */
	unsigned long samples;		/* every sample offered */
	unsigned long lost;		/* samples of a new key with no room */
};

/* prof_hist_init - an empty histogram over slots[nslots] (a power of
 * two, at least 4), which it clears. */
void prof_hist_init(struct prof_hist *h, struct prof_slot *slots,
		    unsigned int nslots);

/* prof_hist_add - count one sample of key. A key not yet seen takes a
 * slot while three quarters of them or fewer are used (probes stay
 * short); otherwise the sample is counted as lost. Never allocates. */
void prof_hist_add(struct prof_hist *h, uint64_t key);

/* prof_hist_top - the n largest counts into out[], largest first (equal
 * counts: smaller key first). Returns how many were written (at most
 * n, at most h->used). */
unsigned int prof_hist_top(const struct prof_hist *h, struct prof_slot *out,
			   unsigned int n);

#endif
