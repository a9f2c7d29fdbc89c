/*
 * arch/x86_64/arch.h - x86_64 PV facts shared inside the kernel.
 *
 * Memory model: the image is linked with virtual base 0, so Xen's pseudo-
 * physical frame n lives at virtual address n << 12 (the "direct map").
 * Frames below the image's first page stay unmapped to catch NULL use.
 */
#ifndef MINNOW_ARCH_X86_64_H
#define MINNOW_ARCH_X86_64_H

#include <stdint.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/* Page table entry bits. */
#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_US		(1ULL << 2)
#define PTE_A		(1ULL << 5)
#define PTE_D		(1ULL << 6)
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR	0x000ffffffffff000ULL

/* Linker symbols bounding the image's parts (arch/x86_64/minnow.lds). */
extern char _text[], _etext[], _rodata[], _erodata[], _data[], _end[];
extern char __bss_start[], __bss_end[];
extern char boot_stack[], boot_stack_top[], boot_stack_guard[];

/* pfn_to_virt - the direct-map address of pseudo-physical frame pfn. */
static inline void *pfn_to_virt(unsigned long pfn)
{
	return (void *)(pfn << PAGE_SHIFT);
}

/* virt_to_pfn - the frame behind a direct-map address. */
static inline unsigned long virt_to_pfn(const void *va)
{
	return (unsigned long)va >> PAGE_SHIFT;
}

/* rdtsc - the CPU's time stamp counter. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* cpu_relax - hint for spin loops. */
static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

#define barrier()	__asm__ volatile("" ::: "memory")
#define mb()		__asm__ volatile("mfence" ::: "memory")
#define rmb()		__asm__ volatile("lfence" ::: "memory")
#define wmb()		__asm__ volatile("sfence" ::: "memory")

/*
 * xen_cpuid - CPUID as Xen's policy for this guest shows it (the
 * forced-emulation prefix makes Xen answer, not the host CPU).
 */
static inline void xen_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("ud2a; .ascii \"xen\"; cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "0"(leaf), "2"(sub));
}

/* cpu_nx_pte - PTE_NX if Xen lets this guest use no-execute, else 0. */
static inline uint64_t cpu_nx_pte(void)
{
	uint32_t r[4];

	xen_cpuid(0x80000001, 0, r);
	return r[3] & (1u << 20) ? PTE_NX : 0;
}

/* Set-up steps done once at boot by arch/x86_64 (in this order). */
struct start_info;
void traps_init(void);
int pt_init(struct start_info *si);

/* pt_first_free_pfn - the first frame not used by the image or boot data. */
unsigned long pt_first_free_pfn(void);

/* pt_mm_ready - from now on page tables come from page_alloc. */
void pt_mm_ready(void);

/* pt_prepare - make sure page tables down to L1 exist for va. 0/-ENOMEM */
int pt_prepare(uint64_t va);

/*
 * pt_set - set va's entry: pte is a frame address | PTE_P [| PTE_RW],
 * or 0 to unmap; accessed/dirty/NX are added. 0, or -EPERM if Xen
 * refused (a frame we may not map).
 */
int pt_set(uint64_t va, uint64_t pte);

/* Register state saved on kernel entry from a trap or event. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10;
	uint64_t r9, r8, rax, rcx, rdx, rsi, rdi;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* as Xen pushed them */
};

#endif
