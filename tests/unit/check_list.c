/*
 * check_list.c - the intrusive list: order of list_add/list_add_tail,
 * deletion, moves and safe iteration while deleting.
 */
#include "testutil.h"
#include "vmscope/list.h"

struct item {
	int		 v;
	struct list_head node;
};

static int collect(struct list_head *head, int *out, int max)
{
	struct item *it;
	int n = 0;

	list_for_each_entry(it, head, node) {
		if (n < max)
			out[n] = it->v;
		n++;
	}
	return n;
}

START_TEST(test_add_order)
{
	LIST_HEAD(head);
	struct item a = { .v = 1 }, b = { .v = 2 }, c = { .v = 3 };
	int got[3];

	ck_assert(list_empty(&head));
	list_add_tail(&a.node, &head);
	list_add_tail(&b.node, &head);
	list_add(&c.node, &head);		/* c a b */
	ck_assert_int_eq(collect(&head, got, 3), 3);
	ck_assert_int_eq(got[0], 3);
	ck_assert_int_eq(got[1], 1);
	ck_assert_int_eq(got[2], 2);
	ck_assert_uint_eq(list_count(&head), 3);
	ck_assert_ptr_eq(list_first_entry(&head, struct item, node), &c);
	ck_assert_ptr_eq(list_last_entry(&head, struct item, node), &b);
}
END_TEST

START_TEST(test_del_move)
{
	LIST_HEAD(head);
	LIST_HEAD(other);
	struct item a = { .v = 1 }, b = { .v = 2 }, c = { .v = 3 };
	int got[3];

	list_add_tail(&a.node, &head);
	list_add_tail(&b.node, &head);
	list_add_tail(&c.node, &head);
	list_del(&b.node);
	ck_assert(!list_linked(&b.node));
	ck_assert_int_eq(collect(&head, got, 3), 2);
	ck_assert_int_eq(got[1], 3);
	list_move_tail(&a.node, &other);
	ck_assert_int_eq(collect(&head, got, 3), 1);
	ck_assert_int_eq(collect(&other, got, 3), 1);
	ck_assert_int_eq(got[0], 1);
	list_move(&c.node, &other);		/* c a */
	ck_assert(list_empty(&head));
	ck_assert_int_eq(collect(&other, got, 3), 2);
	ck_assert_int_eq(got[0], 3);
}
END_TEST

START_TEST(test_safe_iteration)
{
	LIST_HEAD(head);
	struct item items[10], *it, *next;
	int got[10];

	for (int i = 0; i < 10; i++) {
		items[i].v = i;
		list_add_tail(&items[i].node, &head);
	}
	list_for_each_entry_safe(it, next, &head, node) {
		if (it->v % 2 == 0)
			list_del(&it->node);
	}
	ck_assert_int_eq(collect(&head, got, 10), 5);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(got[i], 2 * i + 1);
}
END_TEST

static Suite *list_suite(void)
{
	Suite *s = suite_create("list");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_add_order);
	tcase_add_test(tc, test_del_move);
	tcase_add_test(tc, test_safe_iteration);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(list_suite());
}
