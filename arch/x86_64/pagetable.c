/*
 * arch/x86_64/pagetable.c - map all of the guest's memory, protect the
 * image.
 *
 * Xen's domain builder maps only the image, the boot structures and at
 * least 512 KiB after them. pt_init() extends that direct map to every
 * page the domain owns (frame n at virtual n << 12), creating page
 * tables as needed from the first free frames, and sets permissions:
 * text read-only and executable, read-only data and everything else not
 * executable (when the CPU has NX), page tables read-only as Xen
 * requires, and the pages below the image and under the boot stack
 * unmapped so that NULL pointers and stack overflows fault.
 */
#include <errno.h>
#include <stdint.h>
#include <minnow/mm.h>
#include <string.h>
#include <minnow/console.h>
#include "xen/abi.h"
#include "arch/x86_64/arch.h"
#include "kernel/kernel.h"
#include "xen/hypercall.h"
#include "xen/hypervisor.h"

#define PTE_PSE		(1ULL << 7)
#define TABLE_FLAGS	(PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
#define BATCH		512

static struct mmu_update batch[BATCH];
static unsigned int batched;
static unsigned long first_free;	/* next frame for a new page table */
static int mm_ready;			/* take tables from page_alloc */
static unsigned long nr_pages;
static uint64_t nx;			/* PTE_NX, or 0 without NX */

/* flush_batch - apply the queued PTE writes. */
static void flush_batch(void)
{
	unsigned int done = 0;

	if (!batched)
		return;
	if (HYPERVISOR_mmu_update(batch, batched, &done, DOMID_SELF) < 0)
		kernel_panic("mmu_update failed after %u of %u updates",
			     done, batched);
	batched = 0;
}

/* entry_maddr - the machine address of entry idx of a table page. */
static uint64_t entry_maddr(const uint64_t *table, unsigned int idx)
{
	return (pfn_to_mfn(virt_to_pfn(table)) << PAGE_SHIFT) + idx * 8;
}

/* queue_pte - queue "entry idx of table := val". */
static void queue_pte(const uint64_t *table, unsigned int idx, uint64_t val)
{
	batch[batched].ptr = entry_maddr(table, idx) | MMU_NORMAL_PT_UPDATE;
	batch[batched].val = val;
	if (++batched == BATCH)
		flush_batch();
}

/* table_at - the table an entry points to, through the M2P. */
static uint64_t *table_at(uint64_t e)
{
	if (e & PTE_PSE)
		kernel_panic("unexpected superpage in boot page tables");
	return pfn_to_virt(mfn_to_pfn((e & PTE_ADDR) >> PAGE_SHIFT));
}

/* lookup_l1 - the L1 table mapping va, or NULL if a level is missing. */
static uint64_t *lookup_l1(uint64_t va)
{
	uint64_t *t = (uint64_t *)xen_start_info->pt_base;

	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t e = t[(va >> shift) & 511];

		if (!(e & PTE_P))
			return 0;
		t = table_at(e);
	}
	return t;
}

/* boot_frame - at boot: the next free frame, which must be mapped. */
static uint64_t *boot_frame(void)
{
	unsigned long pfn = first_free++;
	uint64_t *t = pfn_to_virt(pfn);
	uint64_t *l1 = lookup_l1((uint64_t)t);

	flush_batch();		/* its own mapping may be queued */
	if (pfn >= nr_pages || !l1 || !(l1[pfn & 511] & PTE_P))
		kernel_panic("no mapped frame left for page tables (pfn %lu)",
			     pfn);
	return t;
}

/*
 * alloc_table - a zeroed frame mapped read-only, for a new page table:
 * from the boot frames, or from page_alloc once memory is managed.
 * NULL only when page_alloc has nothing left.
 */
static uint64_t *alloc_table(void)
{
	uint64_t *t = mm_ready ? page_alloc(0, 0) : boot_frame();
	unsigned long pfn;

	if (!t)
		return NULL;
	pfn = virt_to_pfn(t);
	memset(t, 0, PAGE_SIZE);
	if (HYPERVISOR_update_va_mapping((uint64_t)t,
					 (pfn_to_mfn(pfn) << PAGE_SHIFT) |
					 PTE_P | PTE_US | PTE_A | nx,
					 UVMF_INVLPG))
		kernel_panic("cannot make frame %lu read-only", pfn);
	return t;
}

/* l1_for - the L1 table for va, creating missing levels; NULL if no
 * memory was left for a table. */
static uint64_t *l1_for(uint64_t va)
{
	uint64_t *t = (uint64_t *)xen_start_info->pt_base;

	for (int shift = 39; shift > 12; shift -= 9) {
		unsigned int idx = (va >> shift) & 511;
		uint64_t *next;
		struct mmu_update link;

		if (t[idx] & PTE_P) {
			t = table_at(t[idx]);
			continue;
		}
		next = alloc_table();
		if (!next)
			return NULL;
		link.ptr = entry_maddr(t, idx) | MMU_NORMAL_PT_UPDATE;
		link.val = (pfn_to_mfn(virt_to_pfn(next)) << PAGE_SHIFT) |
			   TABLE_FLAGS;
		if (HYPERVISOR_mmu_update(&link, 1, 0, DOMID_SELF) < 0)
			kernel_panic("cannot link a new page table");
		t = next;
	}
	return t;
}

/* in_range - is va in [lo, hi)? */
static int in_range(uint64_t va, const char *lo, const char *hi)
{
	return va >= (uint64_t)lo && va < (uint64_t)hi;
}

/*
 * wanted_pte - the entry frame pfn should have, given what it has now.
 * Existing mappings keep their frame and their RW bit (Xen maps page
 * tables read-only); new ones are read-write data.
 */
static uint64_t wanted_pte(unsigned long pfn, uint64_t old)
{
	uint64_t va = (uint64_t)pfn << PAGE_SHIFT;
	uint64_t frame = old & PTE_ADDR;

	if (va < (uint64_t)_text ||
	    in_range(va, boot_stack_guard, boot_stack))
		return 0;
	if (!(old & PTE_P))
		return (pfn_to_mfn(pfn) << PAGE_SHIFT) |
		       PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D | nx;
	if (in_range(va, _text, _etext))
		return frame | PTE_P | PTE_US | PTE_A;
	if (in_range(va, _rodata, _erodata))
		return frame | PTE_P | PTE_US | PTE_A | nx;
	return old | nx;
}

/* map_all - give every frame its wanted entry. */
static void map_all(void)
{
	for (unsigned long pfn = 0; pfn < nr_pages; pfn++) {
		uint64_t va = (uint64_t)pfn << PAGE_SHIFT;
		uint64_t *l1 = l1_for(va);
		uint64_t old;

		if (!l1)
			kernel_panic("no frame left for boot page tables");
		old = l1[(va >> 12) & 511];
		uint64_t want = wanted_pte(pfn, old);

		if (want != old)
			queue_pte(l1, (va >> 12) & 511, want);
	}
	flush_batch();
}

/* flush_tlb - drop stale translations after permissions were reduced. */
static void flush_tlb(void)
{
	struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };

	if (HYPERVISOR_mmuext_op(&op, 1, 0, DOMID_SELF) < 0)
		kernel_panic("TLB flush refused");
}

int pt_init(struct start_info *si)
{
	nr_pages = si->nr_pages;
	/* Xen's bootstrap stack page follows the boot page tables. */
	first_free = virt_to_pfn((void *)si->pt_base) + si->nr_pt_frames + 1;
	nx = cpu_nx_pte();
	map_all();
	flush_tlb();
	return 0;
}

unsigned long pt_first_free_pfn(void)
{
	return first_free;
}

void pt_mm_ready(void)
{
	mm_ready = 1;
}

int pt_prepare(uint64_t va)
{
	return l1_for(va) ? 0 : -ENOMEM;
}

int pt_set(uint64_t va, uint64_t pte)
{
	if (pte && (pte & PTE_P))
		pte |= PTE_US | PTE_A | nx | (pte & PTE_RW ? PTE_D : 0);
	if (HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG))
		return -EPERM;
	return 0;
}

