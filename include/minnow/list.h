/*
 * minnow/list.h - intrusive circular doubly linked lists.
 */
#ifndef MINNOW_LIB_LIST_H
#define MINNOW_LIB_LIST_H

#include <stddef.h>

struct list {
	struct list *next, *prev;
};

#define LIST_INIT(name) { &(name), &(name) }
#define list_entry(node, type, member) \
	((type *)((char *)(node) - offsetof(type, member)))

/* list_init - an empty list (or an unlinked node). */
static inline void list_init(struct list *l)
{
	l->next = l->prev = l;
}

/* list_empty - no node on l (also: node n is unlinked). */
static inline int list_empty(const struct list *l)
{
	return l->next == l;
}

/* list_add_tail - append n to l. */
static inline void list_add_tail(struct list *l, struct list *n)
{
	n->prev = l->prev;
	n->next = l;
	l->prev->next = n;
	l->prev = n;
}

/* list_del - unlink n and leave it as an empty list. */
static inline void list_del(struct list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}

/* list_pop - unlink and return the first node of l, NULL if empty. */
static inline struct list *list_pop(struct list *l)
{
	struct list *n = l->next;

	if (n == l)
		return NULL;
	list_del(n);
	return n;
}

#endif
