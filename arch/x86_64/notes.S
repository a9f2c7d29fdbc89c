/*
 * arch/x86_64/notes.S - the ELF notes Xen's domain builder reads.
 *
 * They say: this is a 64-bit PV kernel for the "xen-3.0" interface,
 * loaded with the generic loader at virtual base 0 (so pseudo-physical
 * frame n is at virtual n << 12), entered at _start, and which page Xen
 * should fill with hypercall stubs.
 */
#include <xen/elfnote.h>

/* One note: name "Xen", the given type, and the payload in between. */
.macro	xen_note type, payload:vararg
	.section .note.Xen, "a", @note
	.balign	4
	.long	2f - 1f			/* name size */
	.long	4f - 3f			/* payload size */
	.long	\type
1:	.asciz	"Xen"
2:	.balign	4
3:	\payload
4:	.balign	4
.endm

	xen_note XEN_ELFNOTE_GUEST_OS,		.asciz "Minnow"
	xen_note XEN_ELFNOTE_GUEST_VERSION,	.asciz "0.1"
	xen_note XEN_ELFNOTE_XEN_VERSION,	.asciz "xen-3.0"
	xen_note XEN_ELFNOTE_LOADER,		.asciz "generic"
	xen_note XEN_ELFNOTE_VIRT_BASE,		.quad 0
	xen_note XEN_ELFNOTE_PADDR_OFFSET,	.quad 0
	xen_note XEN_ELFNOTE_ENTRY,		.quad _start
	xen_note XEN_ELFNOTE_HYPERCALL_PAGE,	.quad hypercall_page
	xen_note XEN_ELFNOTE_FEATURES,		.asciz "!writable_page_tables"
	xen_note XEN_ELFNOTE_SUSPEND_CANCEL,	.long 1
