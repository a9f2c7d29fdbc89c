/*
 * mm/mm.h - memory set-up (internal).
 */
#ifndef MINNOW_MM_INTERNAL_H
#define MINNOW_MM_INTERNAL_H

/*
 * mm_init - manage frames [first_free, nr_pages): the allocator's own
 * tables take the first of them, the rest become free pages.
 */
void mm_init(unsigned long first_free, unsigned long nr_pages);

#endif
