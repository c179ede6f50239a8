// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The network options' parsers: CIDRs, port specs, names, and how options combine. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include "net.h"
#include "options.h"
#include "util.h"

static uint32_t ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void parse_cidr__valid__address_and_prefix(void **state)
{
	struct gb_cidr c;

	assert_int_equal(gb_net_parse_cidr("10.1.1.2/24", &c), 0);
	assert_int_equal(c.addr.s_addr, ip("10.1.1.2"));
	assert_int_equal(c.prefix, 24);
	assert_int_equal(gb_net_parse_cidr("192.168.0.1/32", &c), 0);
	assert_int_equal(c.prefix, 32);
	assert_int_equal(gb_net_parse_cidr("10.0.0.1/1", &c), 0);
}

static void parse_cidr__malformed__einval(void **state)
{
	static const char *bad[] = {
		"",		"10.1.1.2",	 "10.1.1.2/",	 "10.1.1.2/33",	 "10.1.1.2/0",
		"10.1.1/24",	"10.1.1.256/24", "10.1.1.2/24x", "10.1.1.2/-1",	 " 10.1.1.2/24",
		"10.1.1.2/ 24", "a.b.c.d/24",	 "10.1.1.2/+24", "::1/64",	 "10.1.1.2//24",
		"10.1.1.2/024x",
	};
	struct gb_cidr c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (gb_net_parse_cidr(bad[i], &c) != -EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
}

static void parse_publish__forms__ports_and_proto(void **state)
{
	struct gb_publish p;

	assert_int_equal(gb_net_parse_publish("8080:80", &p), 0);
	assert_int_equal(p.host_port, 8080);
	assert_int_equal(p.sandbox_port, 80);
	assert_int_equal(p.proto, IPPROTO_TCP);
	assert_int_equal(gb_net_parse_publish("53:5353/udp", &p), 0);
	assert_int_equal(p.host_port, 53);
	assert_int_equal(p.sandbox_port, 5353);
	assert_int_equal(p.proto, IPPROTO_UDP);
	assert_int_equal(gb_net_parse_publish("65535:1/tcp", &p), 0);
	assert_int_equal(p.proto, IPPROTO_TCP);
}

static void parse_publish__malformed__einval(void **state)
{
	static const char *bad[] = {
		"",	     "80",	 ":80",		  "80:",      "0:80",	  "80:0",
		"65536:80",  "80:80/sctp", "80:80/",	  "80:80/TCP", "8080:80x", "x:80",
		"80::80",    "-1:80",	 "80:80:80",	  "80 :80",   "80:80/tcp/udp",
		"123456789012345678901234567890:1",
	};
	struct gb_publish p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (gb_net_parse_publish(bad[i], &p) != -EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
}

static void name_valid__lengths_and_characters(void **state)
{
	assert_true(gb_net_name_valid("a", 12));
	assert_true(gb_net_name_valid("web_1.prod-x", 12));
	assert_false(gb_net_name_valid("web_1.prod-xy", 12)); /* 13 > 12 */
	assert_false(gb_net_name_valid("", 12));
	assert_false(gb_net_name_valid(".", 12));
	assert_false(gb_net_name_valid("..", 12));
	assert_false(gb_net_name_valid("-x", 12));
	assert_false(gb_net_name_valid("a/b", 12));
	assert_false(gb_net_name_valid("a b", 12));
	assert_false(gb_net_name_valid("a*", 12));
}

static void opt_parse__network_too_long__einval(void **state)
{
	struct gb_net_opts o;

	gb_net_opts_init(&o);
	/* "gb-" + 13 characters would not fit an interface name (15) */
	assert_int_equal(gb_net_opt_parse(&o, "network", "abcdefghijklm"), -EINVAL);
	assert_int_equal(gb_net_opt_parse(&o, "network", "abcdefghijkl"), 0);
	assert_string_equal(o.network, "abcdefghijkl");
}

static void opts_init__defaults__new_netns_lo_up_veth_addresses(void **state)
{
	struct gb_net_opts o;

	gb_net_opts_init(&o);
	assert_int_equal(o.mode, GB_NET_NEW);
	assert_false(o.lo_down);
	assert_false(o.veth);
	assert_int_equal(o.host_addr.addr.s_addr, ip("10.1.1.2"));
	assert_int_equal(o.sandbox_addr.addr.s_addr, ip("10.1.1.1"));
	assert_int_equal(o.host_addr.prefix, 24);
	assert_int_equal(gb_net_opts_finish(&o), 0);
}

static void opts_finish__nat_publish_network__imply_veth(void **state)
{
	static const char *imply[][2] = { { "nat", NULL }, { "publish", "80:80" }, { "network", "n" } };

	for (size_t i = 0; i < 3; i++) {
		struct gb_net_opts o;

		gb_net_opts_init(&o);
		assert_int_equal(gb_net_opt_parse(&o, imply[i][0], imply[i][1]), 0);
		assert_int_equal(gb_net_opts_finish(&o), 0);
		assert_true(o.veth);
	}
}

static void opts_finish__bad_combinations__einval(void **state)
{
	static const char *bad[][4] = {
		{ "share-net", NULL, "nat", NULL },
		{ "share-net", NULL, "netns-name", "x" },
		{ "join-netns", "x", "netns-name", "y" },
		{ "join-netns", "x", "lo-down", NULL },
		{ "veth", "10.1.1.2/24,10.1.2.1/24", "veth", NULL },   /* different subnets */
		{ "veth", "10.1.1.2/24,10.1.1.2/24", "veth", NULL },   /* same address */
		{ "veth", "10.1.1.0/24,10.1.1.1/24", "veth", NULL },   /* network address */
		{ "veth", "10.1.1.2/24,10.1.1.255/24", "veth", NULL }, /* broadcast */
		{ "veth", "10.1.1.2/31,10.1.1.3/31", "veth", NULL },   /* no room */
		{ "publish", "80:80", "publish", "80:81" },	       /* same host port twice */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct gb_net_opts o;

		gb_net_opts_init(&o);
		assert_int_equal(gb_net_opt_parse(&o, bad[i][0], bad[i][1]), 0);
		assert_int_equal(gb_net_opt_parse(&o, bad[i][2], bad[i][3]), 0);
		if (gb_net_opts_finish(&o) != -EINVAL)
			fail_msg("accepted --%s %s --%s %s", bad[i][0], bad[i][1] ? bad[i][1] : "",
				 bad[i][2], bad[i][3] ? bad[i][3] : "");
	}
}

static void opts_finish__publish_tcp_and_udp_same_port__ok(void **state)
{
	struct gb_net_opts o;

	gb_net_opts_init(&o);
	assert_int_equal(gb_net_opt_parse(&o, "publish", "53:53/tcp"), 0);
	assert_int_equal(gb_net_opt_parse(&o, "publish", "53:53/udp"), 0);
	assert_int_equal(gb_net_opts_finish(&o), 0);
	assert_int_equal(o.n_publish, 2);
}

static void opt_parse__veth_pair__both_ends(void **state)
{
	struct gb_net_opts o;

	gb_net_opts_init(&o);
	assert_int_equal(gb_net_opt_parse(&o, "veth", "192.168.7.1/30,192.168.7.2/30"), 0);
	assert_true(o.veth);
	assert_int_equal(o.host_addr.addr.s_addr, ip("192.168.7.1"));
	assert_int_equal(o.sandbox_addr.addr.s_addr, ip("192.168.7.2"));
	assert_int_equal(o.sandbox_addr.prefix, 30);
	assert_int_equal(gb_net_opts_finish(&o), 0);
	assert_int_equal(gb_net_opt_parse(&o, "veth", "192.168.7.1/30"), -EINVAL);
	assert_int_equal(gb_net_opt_parse(&o, "veth", "192.168.7.1/30,"), -EINVAL);
}

static void opt_kind__table__no_one_optional(void **state)
{
	assert_int_equal(gb_net_opt_kind("share-net"), 1);
	assert_int_equal(gb_net_opt_kind("publish"), 2);
	assert_int_equal(gb_net_opt_kind("veth"), 3);
	assert_int_equal(gb_net_opt_kind("vet"), 0); /* exact names only */
	assert_true(gb_net_opt_arg_fits("veth", "10.2.0.1/24,10.2.0.2/24"));
	assert_false(gb_net_opt_arg_fits("veth", "sh"));
	assert_false(gb_net_opt_arg_fits("veth", "--nat"));
	assert_false(gb_net_opt_arg_fits("veth", "/bin/true"));
	assert_false(gb_net_opt_arg_fits("veth", "python3"));
	/* malformed pairs are still the option's, to be reported as such */
	assert_true(gb_net_opt_arg_fits("veth", "10.1.1.300/24,10.1.1.1/24"));
	assert_true(gb_net_opt_arg_fits("veth", "10.1.1.2/24"));
}

static void opt_parse__join_netns__name_or_path(void **state)
{
	struct gb_net_opts o;

	gb_net_opts_init(&o);
	assert_int_equal(gb_net_opt_parse(&o, "join-netns", "blue"), 0);
	assert_int_equal(o.mode, GB_NET_JOIN);
	assert_int_equal(gb_net_opt_parse(&o, "join-netns", "/proc/1234/ns/net"), 0);
	assert_int_equal(gb_net_opt_parse(&o, "join-netns", ""), -EINVAL);
	assert_int_equal(gb_net_opt_parse(&o, "join-netns", ".."), -EINVAL);
	assert_int_equal(gb_net_opt_parse(&o, "share-net", NULL), -EINVAL);
	gb_net_opts_init(&o);
	assert_int_equal(gb_net_opt_parse(&o, "share-net", NULL), 0);
	assert_int_equal(gb_net_opt_parse(&o, "join-netns", "blue"), -EINVAL);
}

static int parse_run(struct gb_opts *o, char **argv)
{
	int argc = 0, help;

	while (argv[argc])
		argc++;
	gb_opts_defaults(o);
	return gb_opts_parse_run(o, argc, argv, &help);
}

static void opts_parse_run__veth_arg_as_next_word__taken(void **state)
{
	char *with[] = { "run", "--veth", "10.9.0.1/24,10.9.0.2/24", "--nat", "true", NULL };
	char *bare[] = { "run", "--veth", "true", NULL };
	char *eq[] = { "run", "--veth=10.9.0.1/24,10.9.0.2/24", "--", "true", NULL };
	struct gb_opts o;

	assert_int_equal(parse_run(&o, with), 0);
	assert_true(o.net.veth && o.net.nat);
	assert_int_equal(o.net.host_addr.addr.s_addr, ip("10.9.0.1"));
	assert_string_equal(o.argv[0], "true");
	assert_int_equal(parse_run(&o, bare), 0);
	assert_true(o.net.veth);
	assert_int_equal(o.net.host_addr.addr.s_addr, ip("10.1.1.2"));
	assert_string_equal(o.argv[0], "true");
	assert_int_equal(parse_run(&o, eq), 0);
	assert_int_equal(o.net.sandbox_addr.addr.s_addr, ip("10.9.0.2"));
}

static void opts_parse_run__network_options__usage_error(void **state)
{
	char *badcidr[] = { "run", "--veth", "10.9.0.300/24,10.9.0.2/24", "true", NULL };
	char *conflict[] = { "run", "--share-net", "--publish", "80:80", "true", NULL };
	struct gb_opts o;

	assert_int_equal(parse_run(&o, badcidr), GB_EXIT_USAGE);
	assert_int_equal(parse_run(&o, conflict), GB_EXIT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_cidr__valid__address_and_prefix),
		cmocka_unit_test(parse_cidr__malformed__einval),
		cmocka_unit_test(parse_publish__forms__ports_and_proto),
		cmocka_unit_test(parse_publish__malformed__einval),
		cmocka_unit_test(name_valid__lengths_and_characters),
		cmocka_unit_test(opt_parse__network_too_long__einval),
		cmocka_unit_test(opts_init__defaults__new_netns_lo_up_veth_addresses),
		cmocka_unit_test(opts_finish__nat_publish_network__imply_veth),
		cmocka_unit_test(opts_finish__bad_combinations__einval),
		cmocka_unit_test(opts_finish__publish_tcp_and_udp_same_port__ok),
		cmocka_unit_test(opt_parse__veth_pair__both_ends),
		cmocka_unit_test(opt_kind__table__no_one_optional),
		cmocka_unit_test(opt_parse__join_netns__name_or_path),
		cmocka_unit_test(opts_parse_run__veth_arg_as_next_word__taken),
		cmocka_unit_test(opts_parse_run__network_options__usage_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
