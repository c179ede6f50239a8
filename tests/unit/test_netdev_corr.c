// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The netlink method's correlation (src/netdev_corr.c), fed with made-up sequences. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/rtnetlink.h>
#include "netdev_corr.h"

#define HOST 4026531833u
#define SB 4026532300u
#define OTHER 4026532999u
#define MS 1000000ull

struct out {
	struct gb_ev_netdev_move ev[8];
	int n;
};

static void collect(void *ctx, const struct gb_ev_netdev_move *e)
{
	struct out *o = ctx;

	assert_true(o->n < 8);
	o->ev[o->n++] = *e;
}

static struct gb_nd_corr *corr(struct out *o)
{
	struct gb_nd_corr *c;

	memset(o, 0, sizeof(*o));
	c = gb_nd_corr_new(HOST, collect, o);
	assert_non_null(c);
	assert_int_equal(gb_nd_corr_watch(c, HOST, 1, 0), 0);
	assert_int_equal(gb_nd_corr_watch(c, SB, 1, 1), 0);
	return c;
}

static struct gb_ev_netdev_move req(uint64_t ts, const char *old_name, int old_idx,
				    uint32_t old_ns, const char *new_name, int new_idx,
				    uint32_t new_ns, int ret)
{
	struct gb_ev_netdev_move e = { 0 };

	e.hdr.ts_ns = ts;
	e.hdr.kind = GB_EV_NETDEV_MOVE;
	e.hdr.method = GB_METHOD_NETLINK;
	e.hdr.size = sizeof(e);
	e.hdr.task.pid = 4242;
	strcpy(e.hdr.comm, "ip");
	strcpy(e.old_name, old_name);
	strcpy(e.new_name, new_name);
	e.old_ifindex = old_idx;
	e.new_ifindex = new_idx;
	e.old_netns = old_ns;
	e.new_netns = new_ns;
	e.ret = ret;
	return e;
}

static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x42 };

static struct gb_nd_note del(uint64_t ts, uint32_t ns, const char *name, int idx,
			     uint32_t new_ns, int new_idx)
{
	struct gb_nd_note n = { 0 };

	n.type = RTM_DELLINK;
	n.ts_ns = ts;
	n.netns = ns;
	strcpy(n.name, name);
	n.ifindex = idx;
	n.has_new_netnsid = 1;
	n.new_netnsid = 7;
	n.new_netns = new_ns;
	n.new_ifindex = new_idx;
	memcpy(n.addr, mac, sizeof(mac));
	n.addr_len = sizeof(mac);
	return n;
}

static struct gb_nd_note newlink(uint64_t ts, uint32_t ns, const char *name, int idx)
{
	struct gb_nd_note n = { 0 };

	n.type = RTM_NEWLINK;
	n.ts_ns = ts;
	n.netns = ns;
	strcpy(n.name, name);
	n.ifindex = idx;
	memcpy(n.addr, mac, sizeof(mac));
	n.addr_len = sizeof(mac);
	return n;
}

static void gb_nd_corr__request_then_both_notes__one_confirmed_event(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	struct gb_ev_netdev_move r = req(100 * MS, "v1", 5, HOST, "v1", 5, SB, 0);
	struct gb_nd_note d = del(101 * MS, HOST, "v1", 5, SB, 5);
	struct gb_nd_note n = newlink(102 * MS, SB, "v1", 5);

	gb_nd_corr_request(c, &r);
	assert_int_equal(o.n, 0); /* waits for the notifications */
	gb_nd_corr_note(c, &d);
	assert_int_equal(o.n, 0);
	gb_nd_corr_note(c, &n);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ev[0].hdr.task.pid, 4242);
	assert_int_equal(o.ev[0].info, 0);
	assert_int_equal(o.ev[0].new_netns, SB);
	gb_nd_corr_flush(c);
	assert_int_equal(o.n, 1);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__notes_before_request__merged_into_one(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	struct gb_ev_netdev_move r = req(100 * MS, "v1", 5, SB, "v9", 12, HOST, 0);
	struct gb_nd_note d = del(103 * MS, SB, "v1", 5, HOST, 12);
	struct gb_nd_note n = newlink(104 * MS, HOST, "v1", 12);

	gb_nd_corr_note(c, &d);
	gb_nd_corr_note(c, &n);
	assert_int_equal(o.n, 0);
	gb_nd_corr_request(c, &r);
	assert_int_equal(o.n, 1);
	/* the request's view (renamed on the way) wins over the notifications' */
	assert_string_equal(o.ev[0].new_name, "v9");
	assert_int_equal(o.ev[0].new_ifindex, 12);
	assert_int_equal(o.ev[0].info, 0);
	gb_nd_corr_tick(c, 10000 * MS);
	assert_int_equal(o.n, 1);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__refused_request__emitted_at_once(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	struct gb_ev_netdev_move r = req(100 * MS, "v1", 5, SB, "v1", 5, SB, -3);

	gb_nd_corr_request(c, &r);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ev[0].ret, -3);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__request_without_notes__unconfirmed_at_deadline(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	struct gb_ev_netdev_move r = req(100 * MS, "v1", 5, HOST, "v1", 5, SB, 0);

	gb_nd_corr_request(c, &r);
	assert_int_equal(gb_nd_corr_tick(c, 101 * MS), 100 * MS + GB_NETDEV_CORR_WAIT_NS);
	assert_int_equal(o.n, 0);
	gb_nd_corr_tick(c, 100 * MS + GB_NETDEV_CORR_WAIT_NS);
	assert_int_equal(o.n, 1);
	assert_true(o.ev[0].info & GB_NETDEV_UNCONFIRMED);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__between_unwatched_namespaces__emitted_at_once(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	struct gb_ev_netdev_move r = req(100 * MS, "v1", 5, OTHER, "v1", 5, OTHER + 1, 0);

	gb_nd_corr_request(c, &r); /* a traced mover, nothing anyone listens to */
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ev[0].info, 0);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__notes_only__no_request_event(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	struct gb_nd_note d = del(100 * MS, SB, "v1", 5, HOST, 8);
	struct gb_nd_note n = newlink(101 * MS, HOST, "v1", 8);

	gb_nd_corr_note(c, &d);
	gb_nd_corr_note(c, &n);
	gb_nd_corr_tick(c, 100 * MS + GB_NETDEV_CORR_WAIT_NS);
	assert_int_equal(o.n, 1);
	assert_true(o.ev[0].info & GB_NETDEV_NO_REQUEST);
	assert_false(o.ev[0].info & GB_NETDEV_KERNEL);
	assert_int_equal(o.ev[0].old_netns, SB);
	assert_int_equal(o.ev[0].old_ifindex, 5);
	assert_int_equal(o.ev[0].new_netns, HOST);
	assert_int_equal(o.ev[0].new_ifindex, 8);
	assert_int_equal(o.ev[0].hdr.task.pid, 0);
	assert_int_equal(o.ev[0].hdr.kind, GB_EV_NETDEV_MOVE);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__old_arrival_then_request__not_merged(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	/* v1 is created in the host (an arrival nothing explains), then moved out and back
	 * within the correlation window: the creation must not stand in for the return */
	struct gb_nd_note created = newlink(100 * MS, HOST, "v1", 5);
	struct gb_ev_netdev_move r1 = req(110 * MS, "v1", 5, HOST, "v1", 5, SB, 0);
	struct gb_nd_note d1 = del(111 * MS, HOST, "v1", 5, SB, 5);
	struct gb_nd_note n1 = newlink(112 * MS, SB, "v1", 5);
	struct gb_ev_netdev_move r2 = req(120 * MS, "v1", 5, SB, "v1", 5, HOST, 0);
	struct gb_nd_note d2 = del(121 * MS, SB, "v1", 5, HOST, 5);
	struct gb_nd_note n2 = newlink(122 * MS, HOST, "v1", 5);

	gb_nd_corr_note(c, &created);
	gb_nd_corr_note(c, &d1);
	gb_nd_corr_note(c, &n1);
	gb_nd_corr_note(c, &d2);
	gb_nd_corr_note(c, &n2);
	gb_nd_corr_request(c, &r1);
	gb_nd_corr_request(c, &r2);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.ev[0].new_netns, SB);
	assert_int_equal(o.ev[1].new_netns, HOST);
	assert_int_equal(o.ev[0].info | o.ev[1].info, 0);
	gb_nd_corr_flush(c);
	assert_int_equal(o.n, 2); /* the creation is dropped, not reported as a move */
	gb_nd_corr_free(c);
}

static void gb_nd_corr__state_change_of_known_device__ignored(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	struct gb_nd_note up = newlink(100 * MS, HOST, "eth9", 3);

	assert_int_equal(gb_nd_corr_known(c, HOST, 3, "eth9", mac, sizeof(mac)), 0);
	gb_nd_corr_note(c, &up);
	gb_nd_corr_flush(c);
	assert_int_equal(o.n, 0);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__device_handed_back_by_dying_namespace__kernel_event(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	/* a physical device lent to the sandbox... */
	struct gb_ev_netdev_move r = req(100 * MS, "eth9", 3, HOST, "eth9", 3, SB, 0);
	struct gb_nd_note d = del(101 * MS, HOST, "eth9", 3, SB, 3);
	struct gb_nd_note n = newlink(102 * MS, SB, "eth9", 3);
	/* ...comes back when the namespace dies: its DELLINK is never seen (the dying
	 * namespace has lost its id), only the arrival in the host, renamed dev0 because
	 * eth9 was taken meanwhile, at a new ifindex */
	struct gb_nd_note back = newlink(5000 * MS, HOST, "dev0", 17);

	assert_int_equal(gb_nd_corr_known(c, HOST, 3, "eth9", mac, sizeof(mac)), 0);
	gb_nd_corr_request(c, &r);
	gb_nd_corr_note(c, &d);
	gb_nd_corr_note(c, &n);
	assert_int_equal(o.n, 1);
	assert_int_equal(gb_nd_corr_awaiting_return(c), 1); /* physical, in the sandbox */
	gb_nd_corr_note(c, &back);
	gb_nd_corr_tick(c, 5000 * MS + GB_NETDEV_CORR_WAIT_NS);
	assert_int_equal(o.n, 2);
	assert_int_equal(gb_nd_corr_awaiting_return(c), 0);
	assert_true(o.ev[1].info & GB_NETDEV_KERNEL);
	assert_string_equal(o.ev[1].old_name, "eth9");
	assert_int_equal(o.ev[1].old_ifindex, 3);
	assert_int_equal(o.ev[1].old_netns, SB);
	assert_string_equal(o.ev[1].new_name, "dev0");
	assert_int_equal(o.ev[1].new_ifindex, 17);
	assert_int_equal(o.ev[1].new_netns, HOST);
	assert_int_equal(o.ev[1].hdr.ts_ns, 5000 * MS);
	assert_int_equal(o.ev[1].hdr.root_level, 1);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__creation_then_lent_within_window__not_handed_back(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	/* created in the host, then moved into the sandbox before the creation's arrival
	 * expired: the arrival predates the departure, so it is not a return */
	struct gb_nd_note created = newlink(100 * MS, HOST, "v1", 5);
	struct gb_ev_netdev_move r = req(110 * MS, "v1", 5, HOST, "v1", 5, SB, 0);
	struct gb_nd_note d = del(111 * MS, HOST, "v1", 5, SB, 5);
	struct gb_nd_note n = newlink(112 * MS, SB, "v1", 5);

	gb_nd_corr_note(c, &created);
	gb_nd_corr_note(c, &d);
	gb_nd_corr_note(c, &n);
	gb_nd_corr_request(c, &r);
	assert_int_equal(o.n, 1);
	gb_nd_corr_flush(c);
	assert_int_equal(o.n, 1);
	assert_false(o.ev[0].info & GB_NETDEV_KERNEL);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__virtual_device_lent__no_return_awaited(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	struct gb_ev_netdev_move r = req(100 * MS, "v1", 5, HOST, "v1", 5, SB, 0);
	struct gb_nd_note d = del(101 * MS, HOST, "v1", 5, SB, 5);
	struct gb_nd_note n = newlink(102 * MS, SB, "v1", 5);

	d.has_kind = n.has_kind = 1; /* veth: destroyed with the namespace */
	gb_nd_corr_request(c, &r);
	gb_nd_corr_note(c, &d);
	gb_nd_corr_note(c, &n);
	assert_int_equal(o.n, 1);
	assert_int_equal(gb_nd_corr_awaiting_return(c), 0);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__new_device_in_host__not_a_move(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	struct gb_nd_note created = newlink(100 * MS, HOST, "v1", 30);

	gb_nd_corr_note(c, &created); /* no device with this address ever left the host */
	gb_nd_corr_flush(c);
	assert_int_equal(o.n, 0);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__host_to_untraced_notes_only__dropped(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	/* someone else's veth leaving the host for a namespace glassbox does not trace */
	struct gb_nd_note d = del(100 * MS, HOST, "v1", 5, 0, 5);

	assert_int_equal(gb_nd_corr_known(c, HOST, 5, "v1", mac, sizeof(mac)), 0);
	gb_nd_corr_note(c, &d);
	gb_nd_corr_flush(c);
	assert_int_equal(o.n, 0);
	gb_nd_corr_free(c);
}

static void gb_nd_corr__notes_of_unwatched_namespace__ignored(void **state)
{
	struct out o;
	struct gb_nd_corr *c = corr(&o);
	struct gb_nd_note d = del(100 * MS, OTHER, "v1", 5, 0, 5);

	gb_nd_corr_note(c, &d);
	gb_nd_corr_flush(c);
	assert_int_equal(o.n, 0);
	gb_nd_corr_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gb_nd_corr__request_then_both_notes__one_confirmed_event),
		cmocka_unit_test(gb_nd_corr__notes_before_request__merged_into_one),
		cmocka_unit_test(gb_nd_corr__refused_request__emitted_at_once),
		cmocka_unit_test(gb_nd_corr__request_without_notes__unconfirmed_at_deadline),
		cmocka_unit_test(gb_nd_corr__between_unwatched_namespaces__emitted_at_once),
		cmocka_unit_test(gb_nd_corr__notes_only__no_request_event),
		cmocka_unit_test(gb_nd_corr__old_arrival_then_request__not_merged),
		cmocka_unit_test(gb_nd_corr__state_change_of_known_device__ignored),
		cmocka_unit_test(gb_nd_corr__device_handed_back_by_dying_namespace__kernel_event),
		cmocka_unit_test(gb_nd_corr__creation_then_lent_within_window__not_handed_back),
		cmocka_unit_test(gb_nd_corr__virtual_device_lent__no_return_awaited),
		cmocka_unit_test(gb_nd_corr__new_device_in_host__not_a_move),
		cmocka_unit_test(gb_nd_corr__host_to_untraced_notes_only__dropped),
		cmocka_unit_test(gb_nd_corr__notes_of_unwatched_namespace__ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
