/*
 * rbtree.h - intrusive red-black tree in the Linux style
 * (include/linux/rbtree.h, lib/rbtree.c). The rb_node is embedded in the
 * object; the caller walks down to find the insertion point, links the node
 * with rb_link_node() and then rebalances with rb_insert_color().
 *
 * Augmented trees (rbtree_augmented.h) keep a per-node value computed from
 * the subtree, such as the VMA tree's largest free gap, up to date through
 * the rotations.
 */
#ifndef VMSCOPE_RBTREE_H
#define VMSCOPE_RBTREE_H

#include "vmscope/compiler.h"

struct rb_node {
	uintptr_t	__rb_parent_color;	/* parent pointer | colour bit */
	struct rb_node *rb_right;
	struct rb_node *rb_left;
};

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT		(struct rb_root) { NULL }
#define RB_RED		0
#define RB_BLACK	1

#define rb_parent(r)	((struct rb_node *)((r)->__rb_parent_color & ~(uintptr_t)3))
#define rb_color(r)	((int)((r)->__rb_parent_color & 1))
#define rb_is_red(r)	(rb_color(r) == RB_RED)
#define rb_is_black(r)	(rb_color(r) == RB_BLACK)
#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member) \
	((ptr) ? rb_entry(ptr, type, member) : NULL)
#define RB_EMPTY_ROOT(root)	((root)->rb_node == NULL)

/* A node that is not in any tree points to itself. */
#define RB_EMPTY_NODE(node) \
	((node)->__rb_parent_color == (uintptr_t)(node))
#define RB_CLEAR_NODE(node) \
	((node)->__rb_parent_color = (uintptr_t)(node))

void	rb_insert_color(struct rb_node *node, struct rb_root *root);
void	rb_erase(struct rb_node *node, struct rb_root *root);

struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/* Replace victim with new in place (same key), without rebalancing. */
void	rb_replace_node(struct rb_node *victim, struct rb_node *new,
	    struct rb_root *root);

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
    struct rb_node **rb_link)
{
	node->__rb_parent_color = (uintptr_t)parent;	/* red */
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

/*
 * Verifier: checks that the tree is a binary search tree under cmp (when
 * cmp is not NULL), that no red node has a red child, that every path from
 * the root to a leaf has the same number of black nodes, that the root is
 * black and that parent pointers are consistent. Returns the number of
 * nodes, or -1 and fills why[] (at least 128 bytes) with the first problem.
 */
long	rb_verify(const struct rb_root *root,
	    int (*cmp)(const struct rb_node *, const struct rb_node *),
	    char *why, size_t whylen);

#endif
