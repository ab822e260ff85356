/*
 * check_rbtree.c - unit tests for src/core/rbtree.c: hand-worked shapes for
 * each insert and erase rebalancing case (run in both key directions so the
 * mirrored code is covered too), iteration order, rb_replace_node(), the
 * verifier's own error reports, and long seeded random runs of a plain and
 * an augmented tree checked against a simple reference model.
 *
 * The random runs use a fixed seed that every failure message prints; set
 * VMSCOPE_RBTREE_SEED to replay or explore another one.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/rbtree.h"
#include "vmscope/rbtree_augmented.h"

#define DEFAULT_SEED	0x5eed0f7b2c4d9e13ULL

/*
 * ck_assert*() records a "last good point" through Check's IPC channel on
 * every success, which is far too slow inside the random loops; this only
 * costs a branch when the condition holds.
 */
#define FAIL_IF(cond, ...)						\
	do {								\
		if (cond)						\
			ck_abort_msg(__VA_ARGS__);			\
	} while (0)

/* --- pseudo-random numbers -------------------------------------------- */

/* xorshift64*: tiny, deterministic on every libc, good enough for tests. */
struct prng {
	uint64_t	state;
	uint64_t	seed;
};

static void prng_init(struct prng *p)
{
	const char *env = getenv("VMSCOPE_RBTREE_SEED");

	p->seed = DEFAULT_SEED;
	if (env != NULL && *env != '\0')
		p->seed = strtoull(env, NULL, 0);
	/* The all-zero state is a fixed point of xorshift. */
	p->state = p->seed != 0 ? p->seed : DEFAULT_SEED;
}

static uint64_t prng_next(struct prng *p)
{
	uint64_t x = p->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	p->state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform enough below n for test purposes (n is tiny next to 2^53). */
static unsigned long prng_below(struct prng *p, unsigned long n)
{
	return (unsigned long)((prng_next(p) >> 11) % n);
}

/*
 * Failure reporting for the random runs: always say which seed and which
 * operation, so the failure can be replayed.
 */
struct run {
	struct prng	rng;
	long		op;
};

static void __printf(3, 4) __noreturn run_fail(const struct run *r, int line,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ck_abort_msg("seed %#llx, op %ld (line %d): %s",
	    (unsigned long long)r->rng.seed, r->op, line, msg);
}

#define RUN_FAIL_IF(r, cond, ...)					\
	do {								\
		if (cond)						\
			run_fail(r, __LINE__, __VA_ARGS__);		\
	} while (0)

/* --- plain keyed nodes ------------------------------------------------ */

struct knode {
	struct rb_node	rb;
	long		key;
};

static struct knode *kn(struct rb_node *rb)
{
	return rb_entry(rb, struct knode, rb);
}

/* container_of() would cast const away; the verifier callback needs this. */
static const struct knode *kn_const(const struct rb_node *rb)
{
	return (const struct knode *)(const void *)((const char *)rb -
	    offsetof(struct knode, rb));
}

static int kn_cmp(const struct rb_node *a, const struct rb_node *b)
{
	long ka = kn_const(a)->key, kb = kn_const(b)->key;

	return ka < kb ? -1 : ka > kb;
}

static int kn_cmp_rev(const struct rb_node *a, const struct rb_node *b)
{
	return kn_cmp(b, a);
}

/*
 * Insert with keys ascending left to right, or descending when rev is set:
 * the descending tree runs every mirrored branch of the fixups.
 */
static void kn_insert(struct rb_root *root, struct knode *node, bool rev)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;
	long pk;

	while (*link != NULL) {
		parent = *link;
		pk = kn(parent)->key;
		if (rev ? node->key > pk : node->key < pk)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&node->rb, parent, link);
	rb_insert_color(&node->rb, root);
}

static struct knode *kn_search(const struct rb_root *root, long key)
{
	struct rb_node *rb = root->rb_node;

	while (rb != NULL) {
		if (key < kn(rb)->key)
			rb = rb->rb_left;
		else if (key > kn(rb)->key)
			rb = rb->rb_right;
		else
			return kn(rb);
	}
	return NULL;
}

/*
 * Shape notation: key, colour (B/R), then "(left,right)" if the node has
 * any child, with "-" for an empty link. mirror swaps the two, so a tree
 * built with reversed keys prints the same as the forward one.
 */
struct shape_buf {
	char	s[4096];
	size_t	len;
};

static void __printf(2, 3) shape_printf(struct shape_buf *sb,
    const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->len >= sizeof(sb->s))
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->s + sb->len, sizeof(sb->s) - sb->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb->len += (size_t)n;
}

static void shape_node(struct shape_buf *sb, const struct rb_node *rb,
    bool mirror)
{
	const struct rb_node *a, *b;

	if (rb == NULL) {
		shape_printf(sb, "-");
		return;
	}
	shape_printf(sb, "%ld%c", kn_const(rb)->key,
	    rb_is_black(rb) ? 'B' : 'R');
	if (rb->rb_left == NULL && rb->rb_right == NULL)
		return;
	a = mirror ? rb->rb_right : rb->rb_left;
	b = mirror ? rb->rb_left : rb->rb_right;
	shape_printf(sb, "(");
	shape_node(sb, a, mirror);
	shape_printf(sb, ",");
	shape_node(sb, b, mirror);
	shape_printf(sb, ")");
}

static const char *shape(struct shape_buf *sb, const struct rb_root *root,
    bool mirror)
{
	sb->len = 0;
	sb->s[0] = '\0';
	shape_node(sb, root->rb_node, mirror);
	return sb->s;
}

/* --- small hand-worked cases ------------------------------------------- */

#define SHAPE_KEYS	64

/*
 * Each script is a list of "+k" (insert), "-k" (erase) and "=shape"
 * (assert the current shape). The expected shapes were worked out by hand
 * from the case diagrams in rbtree.c; the comment names the case hit.
 *
 * Erasing a node with two children is not mirror-symmetric: the node is
 * always replaced by its in-order successor, which in the descending tree
 * is the next smaller key. There "=fwd|rev" gives the shape expected in
 * the descending run (still printed mirrored).
 */
static const char *const shape_scripts[] = {
	/* insert case 3 only (outer grandchild, no uncle) */
	"+1 +2 +3 =2B(1R,3R)",
	/* insert case 2 then 3 (inner grandchild) */
	"+3 +1 +2 =2B(1R,3R)",
	/* insert case 1 reaching the root, which turns black again */
	"+1 +2 +3 +4 =2B(1B,3B(-,4R))",
	"+1 +2 +3 +4 +5 =2B(1B,4B(3R,5R))",
	/* case 1 stops under a black parent, then case 1 climbs into 3 */
	("+1 +2 +3 +4 +5 +6 =2B(1B,4R(3B,5B(-,6R))) "
	    "+7 =2B(1B,4R(3B,6B(5R,7R))) "
	    "+8 =4B(2R(1B,3B),6R(5B,7B(-,8R)))"),
	/* erase: red leaf; only a left child; last node */
	"+1 +2 +3 -3 =2B(1R,-)",
	"+2 +1 -2 =1B",
	"+1 -1 =-",
	/* erase with two children, successor is the right child */
	"+1 +2 +3 -2 =3B(1R,-)|1B(-,3R)",
	/* erase case 2 with a black parent climbs to the root */
	"+1 +2 +3 +4 -4 =2B(1B,3B) -1 =2B(-,3R)",
	/* erase case 4 */
	"+1 +2 +3 +4 -1 =3B(2B,4B)",
	/* erase case 3 then 4 */
	"+2 +1 +4 +3 =2B(1B,4B(3R,-)) -1 =3B(2B,4B)",
	/* erase case 1 (red sibling) then case 2 under a red parent */
	"+1 +2 +3 +4 +5 +6 -6 =2B(1B,4R(3B,5B)) -1 =4B(2B(-,3R),5B)",
	/*
	 * erase the root: deep black successor leaf, then case 4 (case 2
	 * under a red parent in the descending run)
	 */
	("+1 +2 +3 +4 +5 +6 +7 +8 -4 "
	    "=5B(2R(1B,3B),7R(6B,8B))|3B(2B(1R,-),6R(5B,7B(-,8R)))"),
};

static void run_shape_script(const char *script, bool rev)
{
	struct knode nodes[SHAPE_KEYS];
	struct rb_root root = RB_ROOT;
	struct shape_buf sb;
	char why[128];
	char buf[256];
	char *tok, *save = NULL, *want, *alt;
	long key, count = 0, got;
	const char *dir = rev ? "descending" : "ascending";

	for (key = 0; key < SHAPE_KEYS; key++) {
		nodes[key].key = key;
		RB_CLEAR_NODE(&nodes[key].rb);
	}

	snprintf(buf, sizeof(buf), "%s", script);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (tok[0] == '=') {
			want = tok + 1;
			alt = strchr(want, '|');
			if (alt != NULL) {
				*alt++ = '\0';
				if (rev)
					want = alt;
			}
			shape(&sb, &root, rev);
			FAIL_IF(strcmp(sb.s, want) != 0,
			    "\"%s\" (%s): expected %s, got %s", script, dir,
			    want, sb.s);
			continue;
		}
		key = strtol(tok + 1, NULL, 10);
		ck_assert_int_lt(key, SHAPE_KEYS);
		if (tok[0] == '+') {
			kn_insert(&root, &nodes[key], rev);
			count++;
		} else {
			rb_erase(&nodes[key].rb, &root);
			RB_CLEAR_NODE(&nodes[key].rb);
			count--;
		}
		got = rb_verify(&root, rev ? kn_cmp_rev : kn_cmp, why,
		    sizeof(why));
		FAIL_IF(got != count, "\"%s\" (%s) after %s: rb_verify %ld "
		    "(want %ld): %s", script, dir, tok, got, count, why);
	}
}

START_TEST(test_shapes)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(shape_scripts); i++) {
		run_shape_script(shape_scripts[i], false);
		run_shape_script(shape_scripts[i], true);
	}
}
END_TEST

START_TEST(test_empty)
{
	struct rb_root root = RB_ROOT;
	struct knode lone = { .key = 7 };
	char why[128];

	ck_assert(RB_EMPTY_ROOT(&root));
	ck_assert_ptr_null(rb_first(&root));
	ck_assert_ptr_null(rb_last(&root));
	ck_assert_int_eq(rb_verify(&root, kn_cmp, why, sizeof(why)), 0);

	/* A detached node has no neighbours. */
	RB_CLEAR_NODE(&lone.rb);
	ck_assert(RB_EMPTY_NODE(&lone.rb));
	ck_assert_ptr_null(rb_next(&lone.rb));
	ck_assert_ptr_null(rb_prev(&lone.rb));

	kn_insert(&root, &lone, false);
	ck_assert(!RB_EMPTY_NODE(&lone.rb));
	ck_assert_ptr_eq(rb_first(&root), &lone.rb);
	ck_assert_ptr_eq(rb_last(&root), &lone.rb);
	ck_assert_ptr_null(rb_next(&lone.rb));
	ck_assert_ptr_null(rb_prev(&lone.rb));
	ck_assert(rb_is_black(&lone.rb));
	ck_assert_int_eq(rb_verify(&root, kn_cmp, why, sizeof(why)), 1);

	rb_erase(&lone.rb, &root);
	ck_assert(RB_EMPTY_ROOT(&root));
}
END_TEST

/* --- iteration --------------------------------------------------------- */

#define ITER_KEYS	1000

START_TEST(test_iteration)
{
	static struct knode nodes[ITER_KEYS];
	long order[ITER_KEYS];
	struct rb_root root = RB_ROOT;
	struct rb_node *rb, *next;
	struct prng rng;
	char why[128];
	long i, j, tmp, expect;

	/* Insert in a shuffled order so the shape is not a textbook one. */
	prng_init(&rng);
	for (i = 0; i < ITER_KEYS; i++)
		order[i] = i;
	for (i = ITER_KEYS - 1; i > 0; i--) {
		j = (long)prng_below(&rng, (unsigned long)i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	for (i = 0; i < ITER_KEYS; i++) {
		nodes[order[i]].key = order[i];
		kn_insert(&root, &nodes[order[i]], false);
	}
	ck_assert_int_eq(rb_verify(&root, kn_cmp, why, sizeof(why)),
	    ITER_KEYS);

	ck_assert_ptr_eq(rb_first(&root), &nodes[0].rb);
	ck_assert_ptr_eq(rb_last(&root), &nodes[ITER_KEYS - 1].rb);
	ck_assert_ptr_null(rb_prev(rb_first(&root)));
	ck_assert_ptr_null(rb_next(rb_last(&root)));

	expect = 0;
	for (rb = rb_first(&root); rb != NULL; rb = rb_next(rb)) {
		FAIL_IF(kn(rb)->key != expect, "forward walk: got %ld, want "
		    "%ld", kn(rb)->key, expect);
		expect++;
	}
	ck_assert_int_eq(expect, ITER_KEYS);

	expect = ITER_KEYS - 1;
	for (rb = rb_last(&root); rb != NULL; rb = rb_prev(rb)) {
		FAIL_IF(kn(rb)->key != expect, "backward walk: got %ld, want "
		    "%ld", kn(rb)->key, expect);
		expect--;
	}
	ck_assert_int_eq(expect, -1);

	/* The usual "fetch next, then erase" walk must survive rebalancing. */
	for (rb = rb_first(&root); rb != NULL; rb = next) {
		next = rb_next(rb);
		if (kn(rb)->key % 2 == 0)
			rb_erase(rb, &root);
	}
	ck_assert_int_eq(rb_verify(&root, kn_cmp, why, sizeof(why)),
	    ITER_KEYS / 2);
	expect = 1;
	for (rb = rb_first(&root); rb != NULL; rb = rb_next(rb)) {
		FAIL_IF(kn(rb)->key != expect, "walk after erasing evens: got "
		    "%ld, want %ld", kn(rb)->key, expect);
		expect += 2;
	}
	ck_assert_int_eq(expect, ITER_KEYS + 1);
}
END_TEST

/* --- rb_replace_node ---------------------------------------------------- */

#define REPL_KEYS	100

static bool tree_contains(const struct rb_root *root, const struct rb_node *n)
{
	struct rb_node *rb;

	for (rb = rb_first(root); rb != NULL; rb = rb_next(rb))
		if (rb == n)
			return true;
	return false;
}

static void replace_and_check(struct rb_root *root, struct knode *victim,
    struct knode *spare)
{
	struct shape_buf before, after;
	char why[128];

	shape(&before, root, false);
	spare->key = victim->key;
	rb_replace_node(&victim->rb, &spare->rb, root);
	shape(&after, root, false);

	ck_assert_str_eq(before.s, after.s);
	ck_assert_int_eq(rb_verify(root, kn_cmp, why, sizeof(why)),
	    REPL_KEYS);
	ck_assert_msg(!tree_contains(root, &victim->rb),
	    "key %ld: old node still reachable", victim->key);
	ck_assert_msg(tree_contains(root, &spare->rb),
	    "key %ld: new node not reachable", victim->key);
	ck_assert_ptr_eq(kn_search(root, victim->key), spare);
}

START_TEST(test_replace)
{
	static struct knode nodes[REPL_KEYS], spare[3];
	struct rb_root root = RB_ROOT;
	struct knode *leaf, *inner;
	struct rb_node *rb;
	char why[128];
	long i;

	for (i = 0; i < REPL_KEYS; i++) {
		nodes[i].key = i;
		kn_insert(&root, &nodes[i], false);
	}

	/* The root (parent link is the rb_root itself). */
	replace_and_check(&root, kn(root.rb_node), &spare[0]);

	/* A leaf and an inner node that is neither root nor leaf. */
	leaf = kn(rb_first(&root));
	while (leaf->rb.rb_left != NULL || leaf->rb.rb_right != NULL)
		leaf = kn(rb_next(&leaf->rb));
	replace_and_check(&root, leaf, &spare[1]);

	inner = NULL;
	for (rb = rb_first(&root); rb != NULL; rb = rb_next(rb)) {
		if (rb_parent(rb) != NULL && rb->rb_left != NULL &&
		    rb->rb_right != NULL) {
			inner = kn(rb);
			break;
		}
	}
	ck_assert_ptr_nonnull(inner);
	replace_and_check(&root, inner, &spare[2]);

	/* The replacements must behave like any other node from now on. */
	for (i = 0; i < 3; i++)
		rb_erase(&spare[i].rb, &root);
	ck_assert_int_eq(rb_verify(&root, kn_cmp, why, sizeof(why)),
	    REPL_KEYS - 3);
}
END_TEST

/* --- the verifier catches broken trees --------------------------------- */

static void set_node(struct knode *n, struct knode *parent, int color,
    struct knode *left, struct knode *right)
{
	n->rb.__rb_parent_color = (uintptr_t)(parent != NULL ? &parent->rb :
	    NULL) | (uintptr_t)color;
	n->rb.rb_left = left != NULL ? &left->rb : NULL;
	n->rb.rb_right = right != NULL ? &right->rb : NULL;
}

static void expect_broken(const struct rb_root *root,
    int (*cmp)(const struct rb_node *, const struct rb_node *),
    const char *want)
{
	char why[128];
	long got;

	memset(why, 0, sizeof(why));
	got = rb_verify(root, cmp, why, sizeof(why));
	ck_assert_msg(got == -1, "rb_verify returned %ld, want -1 (\"%s\")",
	    got, want);
	ck_assert_msg(strstr(why, want) != NULL,
	    "rb_verify said \"%s\", want \"%s\"", why, want);
}

START_TEST(test_verify_detects)
{
	struct knode n[8];
	struct rb_root root;
	char why[128];
	int i;

	for (i = 0; i < 8; i++)
		n[i].key = i * 10;
	root.rb_node = &n[2].rb;

	/* A valid tree first, so the failures below mean something. */
	set_node(&n[2], NULL, RB_BLACK, &n[1], &n[3]);
	set_node(&n[1], &n[2], RB_RED, NULL, NULL);
	set_node(&n[3], &n[2], RB_RED, NULL, NULL);
	ck_assert_int_eq(rb_verify(&root, kn_cmp, why, sizeof(why)), 3);
	ck_assert_str_eq(why, "");

	/* Red-red on the left, black heights still equal everywhere. */
	set_node(&n[1], &n[2], RB_RED, &n[0], NULL);
	set_node(&n[0], &n[1], RB_RED, NULL, NULL);
	expect_broken(&root, kn_cmp,
	    "red node at depth 1 has a red left child");

	/* Red-red on the right, two levels down. */
	set_node(&n[1], &n[2], RB_BLACK, &n[0], NULL);
	set_node(&n[0], &n[1], RB_RED, NULL, NULL);
	set_node(&n[3], &n[2], RB_BLACK, NULL, &n[5]);
	set_node(&n[5], &n[3], RB_RED, &n[4], NULL);
	set_node(&n[4], &n[5], RB_RED, NULL, NULL);
	expect_broken(&root, kn_cmp,
	    "red node at depth 2 has a red left child");
	set_node(&n[5], &n[3], RB_RED, NULL, &n[6]);
	set_node(&n[6], &n[5], RB_RED, NULL, NULL);
	expect_broken(&root, kn_cmp,
	    "red node at depth 2 has a red right child");

	/* Black height: one black on the left, none on the right. */
	set_node(&n[2], NULL, RB_BLACK, &n[1], NULL);
	set_node(&n[1], &n[2], RB_BLACK, NULL, NULL);
	expect_broken(&root, kn_cmp, "black height mismatch below black node "
	    "at depth 0: left 2, right 1");

	/* Deeper: the mismatch is inside the right subtree. */
	set_node(&n[2], NULL, RB_BLACK, &n[1], &n[4]);
	set_node(&n[1], &n[2], RB_BLACK, NULL, NULL);
	set_node(&n[4], &n[2], RB_BLACK, &n[3], &n[5]);
	set_node(&n[3], &n[4], RB_BLACK, NULL, NULL);
	set_node(&n[5], &n[4], RB_RED, NULL, NULL);
	expect_broken(&root, kn_cmp, "black height mismatch below black node "
	    "at depth 1");

	/* Red root. */
	set_node(&n[2], NULL, RB_RED, &n[1], &n[3]);
	set_node(&n[1], &n[2], RB_BLACK, NULL, NULL);
	set_node(&n[3], &n[2], RB_BLACK, NULL, NULL);
	expect_broken(&root, kn_cmp, "root is red");

	/* Parent pointer of a child pointing at its sibling. */
	set_node(&n[2], NULL, RB_BLACK, &n[1], &n[3]);
	set_node(&n[1], &n[2], RB_RED, NULL, NULL);
	set_node(&n[3], &n[1], RB_RED, NULL, NULL);
	expect_broken(&root, kn_cmp, "parent pointer");

	/* The root must not claim a parent. */
	set_node(&n[3], &n[2], RB_RED, NULL, NULL);
	set_node(&n[2], &n[7], RB_BLACK, &n[1], &n[3]);
	expect_broken(&root, kn_cmp, "parent pointer");
	set_node(&n[2], NULL, RB_BLACK, &n[1], &n[3]);

	/* A node linked twice under the same parent. */
	set_node(&n[2], NULL, RB_BLACK, &n[1], &n[1]);
	expect_broken(&root, NULL, "same node as left and right child");

	/* Children swapped: caught with a comparator, invisible without. */
	set_node(&n[2], NULL, RB_BLACK, &n[3], &n[1]);
	expect_broken(&root, kn_cmp, "order violation");
	ck_assert_int_eq(rb_verify(&root, NULL, why, sizeof(why)), 3);

	/*
	 * Out of order two levels down although every parent/child pair
	 * looks right: 50 sits in the left subtree of 40.
	 */
	root.rb_node = &n[4].rb;
	set_node(&n[4], NULL, RB_BLACK, &n[1], &n[6]);
	set_node(&n[1], &n[4], RB_BLACK, &n[0], &n[5]);
	set_node(&n[0], &n[1], RB_RED, NULL, NULL);
	set_node(&n[5], &n[1], RB_RED, NULL, NULL);
	set_node(&n[6], &n[4], RB_BLACK, NULL, NULL);
	expect_broken(&root, kn_cmp, "order violation: in-order node #3");

	/* Bit 1 of the parent/colour word is unused and must stay clear. */
	root.rb_node = &n[2].rb;
	set_node(&n[2], NULL, RB_BLACK, &n[1], &n[3]);
	set_node(&n[1], &n[2], RB_RED, NULL, NULL);
	set_node(&n[3], &n[2], RB_RED, NULL, NULL);
	n[3].rb.__rb_parent_color |= 2;
	expect_broken(&root, kn_cmp, "node at depth 1 has stray bit 1 set");

	/* No buffer for the reason is allowed. */
	ck_assert_int_eq(rb_verify(&root, kn_cmp, NULL, 0), -1);
}
END_TEST

/*
 * A long left-leaning chain: black heights are wrong too, but the verifier
 * must stop at its depth limit before recursing all the way down.
 */
#define CHAIN_LEN	100000

START_TEST(test_verify_deep_chain)
{
	struct knode *chain = malloc(CHAIN_LEN * sizeof(*chain));
	struct rb_root root;
	char why[128];
	long i;

	ck_assert_ptr_nonnull(chain);
	for (i = 0; i < CHAIN_LEN; i++) {
		chain[i].key = CHAIN_LEN - i;
		set_node(&chain[i], i > 0 ? &chain[i - 1] : NULL, RB_BLACK,
		    i + 1 < CHAIN_LEN ? &chain[i + 1] : NULL, NULL);
	}
	root.rb_node = &chain[0].rb;
	ck_assert_int_eq(rb_verify(&root, kn_cmp, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "deeper than any valid") != NULL,
	    "rb_verify said \"%s\"", why);
	free(chain);
}
END_TEST

/* --- random runs: shared reference model ------------------------------- */

/*
 * The set of keys in the tree, as a permutation of all keys whose first n
 * entries are the present ones: a random present or absent key is then one
 * draw, and pos[] answers membership.
 */
#define RND_KEYS	2048

struct model {
	long	perm[RND_KEYS];
	long	pos[RND_KEYS];
	long	n;
};

static void model_init(struct model *m)
{
	long k;

	for (k = 0; k < RND_KEYS; k++) {
		m->perm[k] = k;
		m->pos[k] = k;
	}
	m->n = 0;
}

static bool model_has(const struct model *m, long key)
{
	return m->pos[key] < m->n;
}

static void model_swap(struct model *m, long i, long j)
{
	long ki = m->perm[i], kj = m->perm[j];

	m->perm[i] = kj;
	m->pos[kj] = i;
	m->perm[j] = ki;
	m->pos[ki] = j;
}

/* Move a random absent key into the present set and return it. */
static long model_add(struct model *m, struct prng *rng)
{
	long i = m->n + (long)prng_below(rng, (unsigned long)(RND_KEYS - m->n));

	model_swap(m, i, m->n);
	return m->perm[m->n++];
}

static long model_remove(struct model *m, struct prng *rng)
{
	long i = (long)prng_below(rng, (unsigned long)m->n);

	model_swap(m, i, --m->n);
	return m->perm[m->n];
}

/*
 * Insert pressure per phase, in eighths: the phases alternately fill the
 * key space completely and drain it to empty, so very small, very full and
 * mid-sized trees are all exercised.
 */
static const unsigned long phase_pressure[] = { 6, 2, 4, 7, 1, 5, 3 };
#define PHASE_OPS	8192

/* true: insert next; false: erase next. */
static bool choose_insert(const struct model *m, struct prng *rng, long op)
{
	unsigned long p;

	if (m->n == 0)
		return true;
	if (m->n == RND_KEYS)
		return false;
	p = phase_pressure[(unsigned long)(op / PHASE_OPS) %
	    ARRAY_SIZE(phase_pressure)];
	return prng_below(rng, 8) < p;
}

/* Verify every op while the tree is young, then sample. */
#define RND_OPS		200000
#define RND_EVERY_OP	4096
#define RND_SAMPLE	32

static bool time_to_check(long op)
{
	return op < RND_EVERY_OP || op % RND_SAMPLE == 0;
}

/* --- random run on a plain tree ---------------------------------------- */

static void plain_check(struct run *r, const struct rb_root *root,
    const struct model *m)
{
	struct rb_node *rb;
	char why[128];
	long got, k;

	got = rb_verify(root, kn_cmp, why, sizeof(why));
	RUN_FAIL_IF(r, got < 0, "rb_verify: %s", why);
	RUN_FAIL_IF(r, got != m->n, "rb_verify counted %ld nodes, model "
	    "has %ld", got, m->n);

	/* In-order walk must list exactly the model's keys, ascending. */
	rb = rb_first(root);
	for (k = 0; k < RND_KEYS; k++) {
		if (!model_has(m, k))
			continue;
		RUN_FAIL_IF(r, rb == NULL, "walk ended before key %ld", k);
		RUN_FAIL_IF(r, kn(rb)->key != k, "walk found key %ld, want "
		    "%ld", kn(rb)->key, k);
		rb = rb_next(rb);
	}
	RUN_FAIL_IF(r, rb != NULL, "walk found extra key %ld", kn(rb)->key);
}

START_TEST(test_random_plain)
{
	static struct knode nodes[RND_KEYS];
	static struct model m;
	struct rb_root root = RB_ROOT;
	struct run r;
	struct knode *found;
	long key;

	prng_init(&r.rng);
	model_init(&m);
	for (key = 0; key < RND_KEYS; key++) {
		nodes[key].key = key;
		RB_CLEAR_NODE(&nodes[key].rb);
	}

	for (r.op = 0; r.op < RND_OPS; r.op++) {
		if (choose_insert(&m, &r.rng, r.op)) {
			key = model_add(&m, &r.rng);
			kn_insert(&root, &nodes[key], false);
		} else {
			key = model_remove(&m, &r.rng);
			rb_erase(&nodes[key].rb, &root);
			RB_CLEAR_NODE(&nodes[key].rb);
		}

		/* A cheap lookup every op catches misplaced nodes early. */
		key = (long)prng_below(&r.rng, RND_KEYS);
		found = kn_search(&root, key);
		RUN_FAIL_IF(&r, (found != NULL) != model_has(&m, key),
		    "lookup of key %ld: tree %s, model %s", key,
		    found != NULL ? "has it" : "does not",
		    model_has(&m, key) ? "has it" : "does not");

		if (time_to_check(r.op))
			plain_check(&r, &root, &m);
	}
	plain_check(&r, &root, &m);
}
END_TEST

/* --- random run on an augmented tree ----------------------------------- */

/*
 * Each node caches the largest value in its subtree, which is the shape of
 * the VMA tree's "largest gap below" field.
 */
struct anode {
	struct rb_node	rb;
	long		key;
	unsigned long	val;
	unsigned long	subtree_max;
};

static struct anode *an(struct rb_node *rb)
{
	return rb_entry(rb, struct anode, rb);
}

static const struct anode *an_const(const struct rb_node *rb)
{
	return (const struct anode *)(const void *)((const char *)rb -
	    offsetof(struct anode, rb));
}

static int an_cmp(const struct rb_node *a, const struct rb_node *b)
{
	long ka = an_const(a)->key, kb = an_const(b)->key;

	return ka < kb ? -1 : ka > kb;
}

static unsigned long an_compute(const struct anode *node)
{
	unsigned long max = node->val;

	if (node->rb.rb_left != NULL && an(node->rb.rb_left)->subtree_max > max)
		max = an(node->rb.rb_left)->subtree_max;
	if (node->rb.rb_right != NULL &&
	    an(node->rb.rb_right)->subtree_max > max)
		max = an(node->rb.rb_right)->subtree_max;
	return max;
}

RB_DECLARE_CALLBACKS(static, an_callbacks, struct anode, rb, unsigned long,
    subtree_max, an_compute)

static void an_insert(struct rb_root *root, struct anode *node)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;
	struct anode *p;

	/* Every node on the way down gains node's value in its subtree. */
	node->subtree_max = node->val;
	while (*link != NULL) {
		parent = *link;
		p = an(parent);
		if (p->subtree_max < node->val)
			p->subtree_max = node->val;
		if (node->key < p->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&node->rb, parent, link);
	rb_insert_augmented(&node->rb, root, &an_callbacks);
}

/*
 * Lowest-keyed node whose value is at least min, pruning with the cached
 * maxima (how the VMA code looks for a gap of a given size).
 */
static struct anode *an_first_at_least(const struct rb_root *root,
    unsigned long min)
{
	struct rb_node *rb = root->rb_node;

	if (rb == NULL || an(rb)->subtree_max < min)
		return NULL;
	while (rb != NULL) {
		if (rb->rb_left != NULL && an(rb->rb_left)->subtree_max >= min)
			rb = rb->rb_left;
		else if (an(rb)->val >= min)
			return an(rb);
		else
			rb = rb->rb_right;
	}
	/* Only reachable if a cached maximum lied. */
	return NULL;
}

/* Recompute every cached maximum bottom-up and compare. */
static unsigned long an_check_subtree(struct run *r, const struct rb_node *rb)
{
	const struct anode *node = an_const(rb);
	unsigned long max = node->val, sub;

	if (rb->rb_left != NULL) {
		sub = an_check_subtree(r, rb->rb_left);
		if (sub > max)
			max = sub;
	}
	if (rb->rb_right != NULL) {
		sub = an_check_subtree(r, rb->rb_right);
		if (sub > max)
			max = sub;
	}
	RUN_FAIL_IF(r, node->subtree_max != max, "key %ld caches subtree max "
	    "%lu, recomputed %lu", node->key, node->subtree_max, max);
	return max;
}

static void aug_check(struct run *r, const struct rb_root *root,
    const struct model *m, const struct anode *nodes)
{
	const struct anode *want, *got;
	struct rb_node *rb;
	char why[128];
	unsigned long min;
	long n, k;

	n = rb_verify(root, an_cmp, why, sizeof(why));
	RUN_FAIL_IF(r, n < 0, "rb_verify: %s", why);
	RUN_FAIL_IF(r, n != m->n, "rb_verify counted %ld nodes, model has %ld",
	    n, m->n);
	if (root->rb_node != NULL)
		an_check_subtree(r, root->rb_node);

	rb = rb_first(root);
	for (k = 0; k < RND_KEYS; k++) {
		if (!model_has(m, k))
			continue;
		RUN_FAIL_IF(r, rb != &nodes[k].rb, "walk out of step at key "
		    "%ld", k);
		rb = rb_next(rb);
	}
	RUN_FAIL_IF(r, rb != NULL, "walk found an extra node");

	/* Use the cache for a search and compare with a linear scan. */
	min = prng_below(&r->rng, 1UL << 20);
	want = NULL;
	for (k = 0; k < RND_KEYS && want == NULL; k++)
		if (model_has(m, k) && nodes[k].val >= min)
			want = &nodes[k];
	got = an_first_at_least(root, min);
	RUN_FAIL_IF(r, got != want, "first value >= %lu: tree says key %ld, "
	    "scan says key %ld", min, got != NULL ? got->key : -1L,
	    want != NULL ? want->key : -1L);
}

START_TEST(test_random_augmented)
{
	static struct anode nodes[RND_KEYS];
	static struct model m;
	struct rb_root root = RB_ROOT;
	struct run r;
	long key, changes = 0;

	prng_init(&r.rng);
	model_init(&m);
	for (key = 0; key < RND_KEYS; key++) {
		nodes[key].key = key;
		RB_CLEAR_NODE(&nodes[key].rb);
	}

	for (r.op = 0; r.op < RND_OPS; r.op++) {
		if (m.n > 0 && prng_below(&r.rng, 8) == 0) {
			/*
			 * Change a value in place; propagate must carry both
			 * rises and falls up to where they stop mattering.
			 */
			key = m.perm[prng_below(&r.rng, (unsigned long)m.n)];
			nodes[key].val = prng_below(&r.rng, 1UL << 20);
			an_callbacks.propagate(&nodes[key].rb, NULL);
			changes++;
		} else if (choose_insert(&m, &r.rng, r.op)) {
			key = model_add(&m, &r.rng);
			nodes[key].val = prng_below(&r.rng, 1UL << 20);
			an_insert(&root, &nodes[key]);
		} else {
			key = model_remove(&m, &r.rng);
			rb_erase_augmented(&nodes[key].rb, &root,
			    &an_callbacks);
			RB_CLEAR_NODE(&nodes[key].rb);
		}

		if (time_to_check(r.op))
			aug_check(&r, &root, &m, nodes);
	}
	aug_check(&r, &root, &m, nodes);
	/* Most ops must still be inserts and erases. */
	ck_assert_int_ge(RND_OPS - changes, 100000);
}
END_TEST

static Suite *rbtree_suite(void)
{
	Suite *s = suite_create("rbtree");
	TCase *tc;

	tc = tcase_create("shapes");
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_shapes);
	suite_add_tcase(s, tc);

	tc = tcase_create("walk");
	tcase_add_test(tc, test_iteration);
	tcase_add_test(tc, test_replace);
	suite_add_tcase(s, tc);

	tc = tcase_create("verify");
	tcase_add_test(tc, test_verify_detects);
	tcase_add_test(tc, test_verify_deep_chain);
	suite_add_tcase(s, tc);

	/* Generous timeout: sanitizers on a loaded CI box are slow. */
	tc = tcase_create("random");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_random_plain);
	tcase_add_test(tc, test_random_augmented);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rbtree_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
