/*
 * rbtree_augmented.h - red-black trees whose nodes carry a value computed
 * from their subtree (lib/rbtree.c, include/linux/rbtree_augmented.h).
 *
 * The three callbacks keep the augmented value right:
 *   propagate(node, stop)  recompute from node up to (not including) stop;
 *   copy(old, new)         new takes old's place in the tree: copy the value;
 *   rotate(old, new)       new becomes old's parent in a rotation: new gets
 *                          old's value, old is recomputed.
 * RB_DECLARE_CALLBACKS builds them from a "compute" function.
 */
#ifndef VMSCOPE_RBTREE_AUGMENTED_H
#define VMSCOPE_RBTREE_AUGMENTED_H

#include "vmscope/rbtree.h"

struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	void (*copy)(struct rb_node *old, struct rb_node *new);
	void (*rotate)(struct rb_node *old, struct rb_node *new);
};

/*
 * Insert: link the node with rb_link_node(), set its augmented value (and
 * propagate it up to the root), then call this.
 */
void	rb_insert_augmented(struct rb_node *node, struct rb_root *root,
	    const struct rb_augment_callbacks *augment);
void	rb_erase_augmented(struct rb_node *node, struct rb_root *root,
	    const struct rb_augment_callbacks *augment);

/*
 * RB_DECLARE_CALLBACKS(static, name, struct T, rbfield, type, rbaugmented,
 *     compute) declares name (a struct rb_augment_callbacks) whose value
 * T.rbaugmented is what compute(T *) returns.
 */
#define RB_DECLARE_CALLBACKS(rbstatic, rbname, rbstruct, rbfield,	\
    rbtype, rbaugmented, rbcompute)					\
static void								\
rbname ## _propagate(struct rb_node *rb, struct rb_node *stop)		\
{									\
	while (rb != stop) {						\
		rbstruct *node = rb_entry(rb, rbstruct, rbfield);	\
		rbtype augmented = rbcompute(node);			\
		if (node->rbaugmented == augmented)			\
			break;						\
		node->rbaugmented = augmented;				\
		rb = rb_parent(&node->rbfield);				\
	}								\
}									\
static void								\
rbname ## _copy(struct rb_node *rb_old, struct rb_node *rb_new)	\
{									\
	rbstruct *old = rb_entry(rb_old, rbstruct, rbfield);		\
	rbstruct *new = rb_entry(rb_new, rbstruct, rbfield);		\
	new->rbaugmented = old->rbaugmented;				\
}									\
static void								\
rbname ## _rotate(struct rb_node *rb_old, struct rb_node *rb_new)	\
{									\
	rbstruct *old = rb_entry(rb_old, rbstruct, rbfield);		\
	rbstruct *new = rb_entry(rb_new, rbstruct, rbfield);		\
	new->rbaugmented = old->rbaugmented;				\
	old->rbaugmented = rbcompute(old);				\
}									\
rbstatic const struct rb_augment_callbacks rbname = {			\
	.propagate = rbname ## _propagate,				\
	.copy = rbname ## _copy,					\
	.rotate = rbname ## _rotate					\
};

#endif
