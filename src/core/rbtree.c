/*
 * rbtree.c - the red-black tree engine behind rbtree.h and
 * rbtree_augmented.h: insert and erase rebalancing (plain and augmented),
 * in-order walking, in-place node replacement and the structural verifier
 * that the tests and the simulator's self-checks rely on.
 *
 * The algorithm is the one of Linux lib/rbtree.c: a bottom-up insert fixup
 * and an erase split into "unlink the node" and "repair the missing black".
 * Plain trees are just augmented trees whose callbacks do nothing.
 *
 * Red-black rules enforced here (and checked by rb_verify()):
 *   1) every node is red or black;
 *   2) the root is black;
 *   3) a red node has no red child;
 *   4) every path from a node down to a NULL link crosses the same number
 *      of black nodes.
 * Together they bound the depth to 2 * log2(n + 1).
 *
 * In the diagrams below an upper-case letter is a black node, a lower-case
 * letter a red one, and a letter in parentheses may be either colour.
 */
#include <stdarg.h>
#include <stdio.h>

#include "vmscope/rbtree.h"
#include "vmscope/rbtree_augmented.h"

/*
 * No valid tree that fits in a 64-bit address space is this deep (the
 * bound is 2 * log2(n + 1)). The verifier recurses, so it gives up here
 * rather than run off the stack on a long degenerate chain.
 */
#define RB_VERIFY_MAX_DEPTH	160

static inline void rb_set_parent(struct rb_node *rb, struct rb_node *p)
{
	rb->__rb_parent_color = (uintptr_t)p | (rb->__rb_parent_color & 1);
}

static inline void rb_set_parent_color(struct rb_node *rb, struct rb_node *p,
    int color)
{
	rb->__rb_parent_color = (uintptr_t)p | (uintptr_t)color;
}

static inline void rb_set_black(struct rb_node *rb)
{
	rb->__rb_parent_color |= RB_BLACK;
}

/* A red node has colour bit 0, so the word is its parent pointer as is. */
static inline struct rb_node *rb_red_parent(struct rb_node *red)
{
	return (struct rb_node *)red->__rb_parent_color;
}

static inline struct rb_node *pc_parent(uintptr_t pc)
{
	return (struct rb_node *)(pc & ~(uintptr_t)3);
}

static inline bool pc_is_black(uintptr_t pc)
{
	return (pc & 1) == RB_BLACK;
}

/* Make whatever pointed down at old (a parent link or the root) see new. */
static inline void rb_relink_child(struct rb_node *old, struct rb_node *new,
    struct rb_node *parent, struct rb_root *root)
{
	if (parent == NULL)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/*
 * Finish a rotation in which new has moved above old: new inherits old's
 * parent link and colour, old hangs below new with the given colour.
 */
static inline void rb_rotate_parents(struct rb_node *old, struct rb_node *new,
    struct rb_root *root, int color)
{
	struct rb_node *parent = rb_parent(old);

	new->__rb_parent_color = old->__rb_parent_color;
	rb_set_parent_color(old, new, color);
	rb_relink_child(old, new, parent, root);
}

static void __rb_insert(struct rb_node *node, struct rb_root *root,
    void (*augment_rotate)(struct rb_node *old, struct rb_node *new))
{
	struct rb_node *parent = rb_red_parent(node), *gparent, *tmp;

	/*
	 * node is red and is the only possible rule 3 offender: it may have
	 * a red parent. Every iteration either ends the walk or moves the
	 * problem two levels up.
	 */
	for (;;) {
		if (parent == NULL) {
			/* At the root a red node can simply turn black. */
			rb_set_parent_color(node, NULL, RB_BLACK);
			break;
		}
		if (rb_is_black(parent))
			break;

		/* parent is red, so it is not the root: gparent exists. */
		gparent = rb_red_parent(parent);

		tmp = gparent->rb_right;
		if (parent != tmp) {
			/* parent is gparent's left child; tmp is the uncle. */
			if (tmp != NULL && rb_is_red(tmp)) {
				/*
				 * Case 1: the uncle is red. Push gparent's
				 * black down onto both its children; black
				 * heights are unchanged but gparent is red now
				 * and may clash with its own parent.
				 *
				 *        G              g
				 *       / \            / \
				 *      p   u   -->    P   U
				 *     /              /
				 *    n              n
				 */
				rb_set_parent_color(tmp, gparent, RB_BLACK);
				rb_set_parent_color(parent, gparent, RB_BLACK);
				node = gparent;
				parent = rb_parent(node);
				rb_set_parent_color(node, parent, RB_RED);
				continue;
			}

			tmp = parent->rb_right;
			if (node == tmp) {
				/*
				 * Case 2: the uncle is black and node is the
				 * inner grandchild. Rotate left at parent so
				 * that the red pair lines up on the outside,
				 * which case 3 knows how to fix.
				 *
				 *        G                G
				 *       / \              / \
				 *      p   U    -->     n   U
				 *     / \              / \
				 *    A   n            p   C
				 *       / \          / \
				 *      B   C        A   B
				 */
				tmp = node->rb_left;
				parent->rb_right = tmp;
				node->rb_left = parent;
				if (tmp != NULL)
					rb_set_parent_color(tmp, parent,
					    RB_BLACK);
				rb_set_parent_color(parent, node, RB_RED);
				augment_rotate(parent, node);
				parent = node;
				tmp = node->rb_right;
			}

			/*
			 * Case 3: the uncle is black and node is the outer
			 * grandchild. Rotate right at gparent and swap the
			 * colours of parent and gparent: the top of this
			 * subtree stays black, so nothing above can break.
			 *
			 *          G              P
			 *         / \            / \
			 *        p   U   -->    n   g
			 *       / \                / \
			 *      n   C              C   U
			 */
			gparent->rb_left = tmp;
			parent->rb_right = gparent;
			if (tmp != NULL)
				rb_set_parent_color(tmp, gparent, RB_BLACK);
			rb_rotate_parents(gparent, parent, root, RB_RED);
			augment_rotate(gparent, parent);
			break;
		} else {
			/* Mirror image: parent is the right child. */
			tmp = gparent->rb_left;
			if (tmp != NULL && rb_is_red(tmp)) {
				/* Case 1: recolour and climb. */
				rb_set_parent_color(tmp, gparent, RB_BLACK);
				rb_set_parent_color(parent, gparent, RB_BLACK);
				node = gparent;
				parent = rb_parent(node);
				rb_set_parent_color(node, parent, RB_RED);
				continue;
			}

			tmp = parent->rb_left;
			if (node == tmp) {
				/* Case 2: rotate right at parent. */
				tmp = node->rb_right;
				parent->rb_left = tmp;
				node->rb_right = parent;
				if (tmp != NULL)
					rb_set_parent_color(tmp, parent,
					    RB_BLACK);
				rb_set_parent_color(parent, node, RB_RED);
				augment_rotate(parent, node);
				parent = node;
				tmp = node->rb_left;
			}

			/* Case 3: rotate left at gparent. */
			gparent->rb_right = tmp;
			parent->rb_left = gparent;
			if (tmp != NULL)
				rb_set_parent_color(tmp, gparent, RB_BLACK);
			rb_rotate_parents(gparent, parent, root, RB_RED);
			augment_rotate(gparent, parent);
			break;
		}
	}
}

/*
 * Repair rule 4 after an erase removed a black node below parent: every
 * path through the short side of parent now has one black too few.
 */
static void __rb_erase_color(struct rb_node *parent, struct rb_root *root,
    void (*augment_rotate)(struct rb_node *old, struct rb_node *new))
{
	/*
	 * node is the root of the short subtree: NULL on the first pass
	 * (the erased node left an empty link), black afterwards. It is
	 * never the tree root, since a deficit at the root is harmless.
	 */
	struct rb_node *node = NULL, *sibling, *near, *far;

	for (;;) {
		/*
		 * The short side has at least one black fewer than the
		 * sibling's side, so the sibling is never NULL.
		 */
		sibling = parent->rb_right;
		if (node != sibling) {
			/* node is the left child of parent. */
			if (rb_is_red(sibling)) {
				/*
				 * Case 1: the sibling is red. Rotate left at
				 * parent and swap their colours; node's new
				 * sibling is one of the old sibling's
				 * children, which are black, so one of cases
				 * 2-4 applies next with a red parent.
				 *
				 *      P                 S
				 *     / \               / \
				 *    N   s     -->     p   Sr
				 *       / \           / \
				 *      Sl  Sr        N   Sl
				 */
				near = sibling->rb_left;
				parent->rb_right = near;
				sibling->rb_left = parent;
				rb_set_parent_color(near, parent, RB_BLACK);
				rb_rotate_parents(parent, sibling, root,
				    RB_RED);
				augment_rotate(parent, sibling);
				sibling = near;
			}

			far = sibling->rb_right;
			if (far == NULL || rb_is_black(far)) {
				near = sibling->rb_left;
				if (near == NULL || rb_is_black(near)) {
					/*
					 * Case 2: the sibling and both its
					 * children are black. Make the
					 * sibling red so both sides of parent
					 * are short by one. A red parent
					 * turning black pays that back;
					 * otherwise parent's whole subtree is
					 * short and we go up a level.
					 *
					 *     (p)             (p)
					 *     / \             / \
					 *    N   S    -->    N   s
					 *       / \             / \
					 *      Sl  Sr          Sl  Sr
					 */
					rb_set_parent_color(sibling, parent,
					    RB_RED);
					if (rb_is_red(parent)) {
						rb_set_black(parent);
					} else {
						node = parent;
						parent = rb_parent(node);
						if (parent != NULL)
							continue;
					}
					break;
				}

				/*
				 * Case 3: the sibling is black, its near
				 * child red and its far child black. Rotate
				 * right at the sibling so the red node ends
				 * up on the far side, ready for case 4. The
				 * colours are not touched here: case 4 gives
				 * sl parent's colour and makes S black, which
				 * is what this step plus case 4 need in total.
				 *
				 *     (p)             (p)
				 *     / \             / \
				 *    N   S    -->    N   sl
				 *       / \               \
				 *      sl  Sr              S
				 *                           \
				 *                            Sr
				 */
				far = near->rb_right;
				sibling->rb_left = far;
				near->rb_right = sibling;
				parent->rb_right = near;
				if (far != NULL)
					rb_set_parent_color(far, sibling,
					    RB_BLACK);
				augment_rotate(sibling, near);
				far = sibling;
				sibling = near;
			}

			/*
			 * Case 4: the sibling is black and its far child red.
			 * Rotate left at parent; the sibling takes parent's
			 * place and colour, parent and the far child turn
			 * black. The short side gains a black ancestor and
			 * the far side keeps its count: done.
			 *
			 *     (p)              (s)
			 *     / \              / \
			 *    N   S    -->     P   Sr
			 *       / \          / \
			 *     (sl) sr       N  (sl)
			 */
			near = sibling->rb_left;
			parent->rb_right = near;
			sibling->rb_left = parent;
			rb_set_parent_color(far, sibling, RB_BLACK);
			if (near != NULL)
				rb_set_parent(near, parent);
			rb_rotate_parents(parent, sibling, root, RB_BLACK);
			augment_rotate(parent, sibling);
			break;
		} else {
			/* Mirror image: node is the right child of parent. */
			sibling = parent->rb_left;
			if (rb_is_red(sibling)) {
				/* Case 1: rotate right at parent. */
				near = sibling->rb_right;
				parent->rb_left = near;
				sibling->rb_right = parent;
				rb_set_parent_color(near, parent, RB_BLACK);
				rb_rotate_parents(parent, sibling, root,
				    RB_RED);
				augment_rotate(parent, sibling);
				sibling = near;
			}

			far = sibling->rb_left;
			if (far == NULL || rb_is_black(far)) {
				near = sibling->rb_right;
				if (near == NULL || rb_is_black(near)) {
					/* Case 2: recolour, maybe climb. */
					rb_set_parent_color(sibling, parent,
					    RB_RED);
					if (rb_is_red(parent)) {
						rb_set_black(parent);
					} else {
						node = parent;
						parent = rb_parent(node);
						if (parent != NULL)
							continue;
					}
					break;
				}

				/* Case 3: rotate left at the sibling. */
				far = near->rb_left;
				sibling->rb_right = far;
				near->rb_left = sibling;
				parent->rb_left = near;
				if (far != NULL)
					rb_set_parent_color(far, sibling,
					    RB_BLACK);
				augment_rotate(sibling, near);
				far = sibling;
				sibling = near;
			}

			/* Case 4: rotate right at parent. */
			near = sibling->rb_right;
			parent->rb_left = near;
			sibling->rb_right = parent;
			rb_set_parent_color(far, sibling, RB_BLACK);
			if (near != NULL)
				rb_set_parent(near, parent);
			rb_rotate_parents(parent, sibling, root, RB_BLACK);
			augment_rotate(parent, sibling);
			break;
		}
	}
}

/*
 * Unlink node from the tree and keep the augmented values right along the
 * way. Returns the node under which a black went missing, for
 * __rb_erase_color(), or NULL when the colours are still valid.
 */
static struct rb_node *__rb_erase_augmented(struct rb_node *node,
    struct rb_root *root, const struct rb_augment_callbacks *augment)
{
	struct rb_node *child = node->rb_right;
	struct rb_node *tmp = node->rb_left;
	struct rb_node *parent, *rebalance;
	uintptr_t pc;

	if (tmp == NULL) {
		/*
		 * No left child: the right child (if any) takes node's
		 * place. By rule 4 a lone child must be a red leaf under a
		 * black node, so giving it node's link and colour keeps
		 * every count. Without any child, erasing a black node
		 * shortens that side of parent.
		 *
		 *      (p)           (p)
		 *       |             |
		 *       N     -->     C          or   (p)        (p)
		 *        \                             |    -->   |
		 *         c                            N         nil
		 */
		pc = node->__rb_parent_color;
		parent = pc_parent(pc);
		rb_relink_child(node, child, parent, root);
		if (child != NULL) {
			child->__rb_parent_color = pc;
			rebalance = NULL;
		} else {
			rebalance = pc_is_black(pc) ? parent : NULL;
		}
		tmp = parent;
	} else if (child == NULL) {
		/* Only a left child: same as above, mirrored. */
		pc = node->__rb_parent_color;
		tmp->__rb_parent_color = pc;
		parent = pc_parent(pc);
		rb_relink_child(node, tmp, parent, root);
		rebalance = NULL;
		tmp = parent;
	} else {
		/*
		 * Two children: the in-order successor S (the leftmost
		 * node of the right subtree, so it has no left child)
		 * moves into node's position and takes its colour. What
		 * is really lost is S's old slot, whose right child C (a
		 * red leaf if present) moves up into it.
		 *
		 * S is node's right child:
		 *
		 *      (n)             (s)
		 *      / \             / \
		 *    (x) (s)   -->   (x) (c)
		 *          \
		 *          (c)
		 *
		 * S is deeper, below some P in the right subtree:
		 *
		 *      (n)             (s)
		 *      / \             / \
		 *    (x) (y)   -->   (x) (y)
		 *        /               /
		 *      (p)             (p)
		 *      /               /
		 *    (s)             (c)
		 *      \
		 *      (c)
		 */
		struct rb_node *successor = child, *child2;

		tmp = child->rb_left;
		if (tmp == NULL) {
			parent = successor;
			child2 = successor->rb_right;
			augment->copy(node, successor);
		} else {
			do {
				parent = successor;
				successor = tmp;
				tmp = tmp->rb_left;
			} while (tmp != NULL);
			child2 = successor->rb_right;
			parent->rb_left = child2;
			successor->rb_right = child;
			rb_set_parent(child, successor);
			augment->copy(node, successor);
			/*
			 * Every node from the successor's old parent up to
			 * child lost the successor from its subtree. child
			 * already hangs below successor, so the walk stops
			 * there; successor itself is redone at the end.
			 */
			augment->propagate(parent, successor);
		}

		tmp = node->rb_left;
		successor->rb_left = tmp;
		rb_set_parent(tmp, successor);

		pc = node->__rb_parent_color;
		tmp = pc_parent(pc);
		rb_relink_child(node, successor, tmp, root);

		if (child2 != NULL) {
			rb_set_parent_color(child2, parent, RB_BLACK);
			rebalance = NULL;
		} else {
			rebalance = rb_is_black(successor) ? parent : NULL;
		}
		successor->__rb_parent_color = pc;
		tmp = successor;
	}

	augment->propagate(tmp, NULL);
	return rebalance;
}

/* Plain trees carry no augmented value: these keep the code paths shared. */
static void dummy_propagate(struct rb_node *node __unused,
    struct rb_node *stop __unused)
{
}

static void dummy_copy(struct rb_node *old __unused,
    struct rb_node *new __unused)
{
}

static void dummy_rotate(struct rb_node *old __unused,
    struct rb_node *new __unused)
{
}

static const struct rb_augment_callbacks dummy_callbacks = {
	.propagate = dummy_propagate,
	.copy = dummy_copy,
	.rotate = dummy_rotate
};

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	__rb_insert(node, root, dummy_rotate);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *rebalance;

	rebalance = __rb_erase_augmented(node, root, &dummy_callbacks);
	if (rebalance != NULL)
		__rb_erase_color(rebalance, root, dummy_rotate);
}

void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
    const struct rb_augment_callbacks *augment)
{
	__rb_insert(node, root, augment->rotate);
}

void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
    const struct rb_augment_callbacks *augment)
{
	struct rb_node *rebalance;

	rebalance = __rb_erase_augmented(node, root, augment);
	if (rebalance != NULL)
		__rb_erase_color(rebalance, root, augment->rotate);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (n == NULL)
		return NULL;
	while (n->rb_left != NULL)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (n == NULL)
		return NULL;
	while (n->rb_right != NULL)
		n = n->rb_right;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *n, *parent;

	/* A detached node has no neighbours. */
	if (RB_EMPTY_NODE(node))
		return NULL;

	/* With a right subtree, the successor is its leftmost node. */
	if (node->rb_right != NULL) {
		n = node->rb_right;
		while (n->rb_left != NULL)
			n = n->rb_left;
		return n;
	}

	/*
	 * Otherwise climb while we come up from a right child; the first
	 * ancestor reached from its left side is the successor. rb_parent()
	 * also hands back a non-const pointer without casting const away.
	 */
	parent = rb_parent(node);
	while (parent != NULL && node == parent->rb_right) {
		node = parent;
		parent = rb_parent(node);
	}
	return parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *n, *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;

	if (node->rb_left != NULL) {
		n = node->rb_left;
		while (n->rb_right != NULL)
			n = n->rb_right;
		return n;
	}

	parent = rb_parent(node);
	while (parent != NULL && node == parent->rb_left) {
		node = parent;
		parent = rb_parent(node);
	}
	return parent;
}

void rb_replace_node(struct rb_node *victim, struct rb_node *new,
    struct rb_root *root)
{
	struct rb_node *parent = rb_parent(victim);

	/* Copy the links and colour first so new is complete when reachable. */
	*new = *victim;

	if (victim->rb_left != NULL)
		rb_set_parent(victim->rb_left, new);
	if (victim->rb_right != NULL)
		rb_set_parent(victim->rb_right, new);
	rb_relink_child(victim, new, parent, root);
}

/*
 * Verifier state shared by the recursive walk. The in-order predecessor is
 * kept so BST order is checked between neighbours, which (unlike comparing
 * a node with its children only) catches a key that is out of place
 * several levels down.
 */
struct rb_check {
	int			(*cmp)(const struct rb_node *,
				    const struct rb_node *);
	const struct rb_node	*prev;
	long			 count;
	char			*why;
	size_t			 whylen;
};

static void __printf(2, 3) rb_check_fail(struct rb_check *c,
    const char *fmt, ...)
{
	va_list ap;

	if (c->why == NULL || c->whylen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(c->why, c->whylen, fmt, ap);
	va_end(ap);
}

static const char *color_name(const struct rb_node *n)
{
	return rb_is_red(n) ? "red" : "black";
}

/*
 * Check the subtree at node (whose parent should be parent, at the given
 * depth, root = 0). Returns its black height counting the NULL links as
 * one, or -1 after recording the first problem.
 */
static int rb_check_subtree(struct rb_check *c, const struct rb_node *node,
    const struct rb_node *parent, int depth)
{
	const struct rb_node *l, *r;
	int lh, rh;

	if (node == NULL)
		return 1;

	if (depth > RB_VERIFY_MAX_DEPTH) {
		rb_check_fail(c, "node at depth %d: deeper than any valid "
		    "red-black tree can be", depth);
		return -1;
	}
	if (rb_parent(node) != parent) {
		rb_check_fail(c, "%s node at depth %d has parent pointer "
		    "%p, expected %p", color_name(node), depth,
		    (void *)rb_parent(node), (const void *)parent);
		return -1;
	}
	if (node->__rb_parent_color & 2) {
		rb_check_fail(c, "node at depth %d has stray bit 1 set in "
		    "its parent/colour word", depth);
		return -1;
	}

	l = node->rb_left;
	r = node->rb_right;
	if (l != NULL && l == r) {
		rb_check_fail(c, "node at depth %d has the same node as "
		    "left and right child", depth);
		return -1;
	}
	if (rb_is_red(node)) {
		if (l != NULL && rb_is_red(l)) {
			rb_check_fail(c, "red node at depth %d has a red "
			    "left child", depth);
			return -1;
		}
		if (r != NULL && rb_is_red(r)) {
			rb_check_fail(c, "red node at depth %d has a red "
			    "right child", depth);
			return -1;
		}
	}

	lh = rb_check_subtree(c, l, node, depth + 1);
	if (lh < 0)
		return -1;

	/* Equal keys are allowed: some trees keep duplicates side by side. */
	if (c->cmp != NULL && c->prev != NULL && c->cmp(c->prev, node) > 0) {
		rb_check_fail(c, "order violation: in-order node #%ld (depth "
		    "%d) sorts before its predecessor", c->count, depth);
		return -1;
	}
	c->prev = node;
	c->count++;

	rh = rb_check_subtree(c, r, node, depth + 1);
	if (rh < 0)
		return -1;

	if (lh != rh) {
		rb_check_fail(c, "black height mismatch below %s node at "
		    "depth %d: left %d, right %d", color_name(node), depth,
		    lh, rh);
		return -1;
	}
	return lh + rb_is_black(node);
}

long rb_verify(const struct rb_root *root,
    int (*cmp)(const struct rb_node *, const struct rb_node *),
    char *why, size_t whylen)
{
	struct rb_check c = {
		.cmp = cmp,
		.prev = NULL,
		.count = 0,
		.why = why,
		.whylen = whylen
	};

	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (root->rb_node != NULL && rb_is_red(root->rb_node)) {
		rb_check_fail(&c, "root is red");
		return -1;
	}
	if (rb_check_subtree(&c, root->rb_node, NULL, 0) < 0)
		return -1;
	return c.count;
}
