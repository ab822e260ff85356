/*
 * check_events.c - the event stream: template rendering in text and JSON,
 * sequence numbers, the log ring and its wrap-around, sinks, muting.
 */
#include "testutil.h"
#include "vmscope/events.h"

struct counter {
	int		 n;
	uint64_t	 last_seq;
};

static void count_sink(void *arg, const struct vm_event *ev)
{
	struct counter *c = arg;

	c->n++;
	c->last_seq = ev->seq;
}

START_TEST(test_text_and_json)
{
	struct vm_event ev = { 0 };
	struct sbuf sb = SBUF_INIT;

	ev.kind = EV_BUDDY_SPLIT;
	ev.zone = ZONE_DMA32;
	ev.pfn = 0x1000;
	ev.order = 9;
	ev.val = 0x1100;
	ev.val2 = 8;
	event_format(&ev, &sb);
	ck_assert_str_eq(sbuf_str(&sb),
	    "zone DMA32: split pfn 0x1000 order 9, buddy pfn 0x1100 goes to free_area[8]");
	sbuf_reset(&sb);
	ev.seq = 7;
	ev.cmd = 2;
	event_format_json(&ev, &sb);
	ck_assert_str_eq(sbuf_str(&sb),
	    "{\"seq\":7,\"cmd\":2,\"kind\":\"buddy_split\",\"fn\":\"expand\","
	    "\"zone\":\"DMA32\",\"pfn\":\"0x1000\",\"order\":9,\"buddy\":\"0x1100\","
	    "\"to_order\":8,\"text\":\"zone DMA32: split pfn 0x1000 order 9, "
	    "buddy pfn 0x1100 goes to free_area[8]\"}");
	sbuf_free(&sb);
}
END_TEST

START_TEST(test_kind_names)
{
	ck_assert_str_eq(event_kind_name(EV_BUDDY_MERGE), "buddy_merge");
	ck_assert_str_eq(event_kind_fn(EV_BUDDY_MERGE), "__free_one_page");
	ck_assert_int_eq(event_kind_lookup("alloc_pages"), EV_ALLOC_PAGES);
	ck_assert_int_eq(event_kind_lookup("no_such_event"), -1);
	/* Every kind has a name, a function and renders without crashing. */
	for (int k = 0; k < NR_EVENT_KINDS; k++) {
		struct vm_event ev = { 0 };
		struct sbuf sb = SBUF_INIT;

		ev.kind = (enum event_kind)k;
		ck_assert(strlen(event_kind_name(ev.kind)) > 0);
		ck_assert(strlen(event_kind_fn(ev.kind)) > 0);
		event_format(&ev, &sb);
		event_format_json(&ev, &sb);
		ck_assert(sb.len > 0);
		sbuf_free(&sb);
	}
}
END_TEST

START_TEST(test_bus_log_and_sinks)
{
	struct event_bus bus;
	struct event_sink sink;
	struct counter c = { 0 };
	struct vm_event ev;

	event_bus_init(&bus);
	event_subscribe(&bus, &sink, count_sink, &c);
	for (int i = 0; i < EVENT_LOG_SIZE + 10; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.kind = EV_FREE_PAGES;
		ev.pfn = (uint64_t)i;
		event_emit(&bus, &ev);
	}
	ck_assert_int_eq(c.n, EVENT_LOG_SIZE + 10);
	ck_assert_uint_eq(c.last_seq, EVENT_LOG_SIZE + 10);
	ck_assert_uint_eq(bus.log_len, EVENT_LOG_SIZE);
	ck_assert_uint_eq(event_log_get(&bus, 0)->pfn, EVENT_LOG_SIZE + 9);
	ck_assert_uint_eq(event_log_get(&bus, EVENT_LOG_SIZE - 1)->pfn, 10);
	ck_assert_ptr_null(event_log_get(&bus, EVENT_LOG_SIZE));

	event_mute(&bus);
	event_emit(&bus, &ev);
	event_unmute(&bus);
	ck_assert_int_eq(c.n, EVENT_LOG_SIZE + 10);

	event_unsubscribe(&sink);
	event_emit(&bus, &ev);
	ck_assert_int_eq(c.n, EVENT_LOG_SIZE + 10);
	ck_assert_uint_eq(bus.seq, EVENT_LOG_SIZE + 11);
	event_bus_free(&bus);
}
END_TEST

START_TEST(test_machine_emits_buddy_events)
{
	struct session *s = session_new();
	char *out;
	int failed;

	out = test_run(s, "alloc_pages 3; events --json 100", &failed, NULL);
	ck_assert_int_eq(failed, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"kind\":\"alloc_pages\""));
	ck_assert_ptr_nonnull(strstr(out, "\"kind\":\"wmark_check\""));
	free(out);
	session_free(s);
}
END_TEST

static Suite *events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_text_and_json);
	tcase_add_test(tc, test_kind_names);
	tcase_add_test(tc, test_bus_log_and_sinks);
	tcase_add_test(tc, test_machine_emits_buddy_events);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(events_suite());
}
