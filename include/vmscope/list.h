/*
 * list.h - intrusive circular doubly-linked list in the Linux style
 * (include/linux/list.h). The list_head lives inside the object and the
 * object is recovered with list_entry() (container_of).
 */
#ifndef VMSCOPE_LIST_H
#define VMSCOPE_LIST_H

#include "vmscope/compiler.h"

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void __list_add(struct list_head *entry, struct list_head *prev,
    struct list_head *next)
{
	next->prev = entry;
	entry->next = next;
	entry->prev = prev;
	prev->next = entry;
}

/* Insert after head (stack order). */
static inline void list_add(struct list_head *entry, struct list_head *head)
{
	__list_add(entry, head, head->next);
}

/* Insert before head (queue order). */
static inline void list_add_tail(struct list_head *entry, struct list_head *head)
{
	__list_add(entry, head->prev, head);
}

static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = entry;
	entry->prev = entry;
}

#define list_del_init list_del

static inline void list_move(struct list_head *entry, struct list_head *head)
{
	list_del(entry);
	list_add(entry, head);
}

static inline void list_move_tail(struct list_head *entry, struct list_head *head)
{
	list_del(entry);
	list_add_tail(entry, head);
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

/* Whether an entry (initialised or deleted with list_del) is on a list. */
static inline bool list_linked(const struct list_head *entry)
{
	return entry->next != entry;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)
#define list_last_entry(head, type, member) list_entry((head)->prev, type, member)

#define list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#define list_for_each_safe(pos, n, head) \
	for ((pos) = (head)->next, (n) = (pos)->next; (pos) != (head); \
	    (pos) = (n), (n) = (pos)->next)

#define list_for_each_entry(pos, head, member) \
	for ((pos) = list_entry((head)->next, __typeof__(*(pos)), member); \
	    &(pos)->member != (head); \
	    (pos) = list_entry((pos)->member.next, __typeof__(*(pos)), member))

#define list_for_each_entry_reverse(pos, head, member) \
	for ((pos) = list_entry((head)->prev, __typeof__(*(pos)), member); \
	    &(pos)->member != (head); \
	    (pos) = list_entry((pos)->member.prev, __typeof__(*(pos)), member))

#define list_for_each_entry_safe(pos, n, head, member) \
	for ((pos) = list_entry((head)->next, __typeof__(*(pos)), member), \
	    (n) = list_entry((pos)->member.next, __typeof__(*(pos)), member); \
	    &(pos)->member != (head); \
	    (pos) = (n), (n) = list_entry((n)->member.next, __typeof__(*(n)), member))

static inline size_t list_count(const struct list_head *head)
{
	const struct list_head *p;
	size_t n = 0;

	for (p = head->next; p != head; p = p->next)
		n++;
	return n;
}

#endif
