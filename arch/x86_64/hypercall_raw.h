/*
 * arch/x86_64/hypercall_raw.h - raw hypercalls through the hypercall page.
 *
 * Xen fills hypercall_page (named by the HYPERCALL_PAGE ELF note) with
 * one 32-byte stub per hypercall number. Arguments go in rdi, rsi, rdx,
 * r10, r8; the result comes back in rax; the stub's syscall clobbers rcx
 * and r11. Typed wrappers live in xen/hypercall.h: use those.
 */
#ifndef MINNOW_ARCH_HYPERCALL_RAW_H
#define MINNOW_ARCH_HYPERCALL_RAW_H

extern char hypercall_page[4096];

#define HYPERCALL_ASM "call hypercall_page + %c[off]"
#define HYPERCALL_OFF(nr) [off] "i"((nr) * 32)

#define hypercall0(nr) ({						\
	long r_;							\
	__asm__ volatile(HYPERCALL_ASM				\
			 : "=a"(r_) : HYPERCALL_OFF(nr) : "rcx", "r11", "memory");	\
	r_; })

#define hypercall1(nr, a1) ({						\
	long r_;							\
	register unsigned long d_ __asm__("rdi") = (unsigned long)(a1);	\
	__asm__ volatile(HYPERCALL_ASM				\
			 : "=a"(r_), "+r"(d_)				\
			 : HYPERCALL_OFF(nr) : "rcx", "r11", "memory");			\
	r_; })

#define hypercall2(nr, a1, a2) ({					\
	long r_;							\
	register unsigned long d_ __asm__("rdi") = (unsigned long)(a1);	\
	register unsigned long s_ __asm__("rsi") = (unsigned long)(a2);	\
	__asm__ volatile(HYPERCALL_ASM				\
			 : "=a"(r_), "+r"(d_), "+r"(s_)			\
			 : HYPERCALL_OFF(nr) : "rcx", "r11", "memory");			\
	r_; })

#define hypercall3(nr, a1, a2, a3) ({					\
	long r_;							\
	register unsigned long d_ __asm__("rdi") = (unsigned long)(a1);	\
	register unsigned long s_ __asm__("rsi") = (unsigned long)(a2);	\
	register unsigned long x_ __asm__("rdx") = (unsigned long)(a3);	\
	__asm__ volatile(HYPERCALL_ASM				\
			 : "=a"(r_), "+r"(d_), "+r"(s_), "+r"(x_)	\
			 : HYPERCALL_OFF(nr) : "rcx", "r11", "memory");			\
	r_; })

#define hypercall4(nr, a1, a2, a3, a4) ({				\
	long r_;							\
	register unsigned long d_ __asm__("rdi") = (unsigned long)(a1);	\
	register unsigned long s_ __asm__("rsi") = (unsigned long)(a2);	\
	register unsigned long x_ __asm__("rdx") = (unsigned long)(a3);	\
	register unsigned long t_ __asm__("r10") = (unsigned long)(a4);	\
	__asm__ volatile(HYPERCALL_ASM				\
			 : "=a"(r_), "+r"(d_), "+r"(s_), "+r"(x_),	\
			   "+r"(t_)					\
			 : HYPERCALL_OFF(nr) : "rcx", "r11", "memory");			\
	r_; })

#endif
