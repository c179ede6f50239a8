// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The JSON string escaper: whatever bytes a comm, file name or argv holds, the output
 * is a valid JSON string body in valid UTF-8. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include "outbuf.h"

static const char *esc(const char *s, size_t maxlen)
{
	static char buf[1024];

	gb_json_escape(buf, sizeof(buf), s, maxlen);
	return buf;
}

static void json_escape__plain_ascii__unchanged(void **state)
{
	assert_string_equal(esc("sh -c 'ls /tmp'", 64), "sh -c 'ls /tmp'");
}

static void json_escape__quote_and_backslash__escaped(void **state)
{
	assert_string_equal(esc("a\"b\\c", 64), "a\\\"b\\\\c");
}

static void json_escape__control_chars__short_or_u_escapes(void **state)
{
	assert_string_equal(esc("\n\t\r\b\f", 64), "\\n\\t\\r\\b\\f");
	assert_string_equal(esc("\x01\x1f\x7f", 64), "\\u0001\\u001f\\u007f");
	assert_string_equal(esc("a\x1b[31mred", 64), "a\\u001b[31mred");
}

static void json_escape__valid_utf8__kept(void **state)
{
	/* 2, 3 and 4 byte forms, the highest code point */
	assert_string_equal(esc("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf", 64),
			    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
}

static void json_escape__invalid_bytes__one_replacement_each(void **state)
{
	assert_string_equal(esc("a\xff" "b", 64), "a\\ufffdb");
	assert_string_equal(esc("\x80\xbf", 64), "\\ufffd\\ufffd");       /* lone continuations */
	assert_string_equal(esc("\xc3" "A", 64), "\\ufffdA");             /* cut sequence */
	assert_string_equal(esc("\xe2\x82", 64), "\\ufffd\\ufffd");       /* cut at the end */
}

static void json_escape__overlong_forms__replaced(void **state)
{
	assert_string_equal(esc("\xc0\x80", 64), "\\ufffd\\ufffd");         /* NUL in 2 */
	assert_string_equal(esc("\xc1\xbf", 64), "\\ufffd\\ufffd");
	assert_string_equal(esc("\xe0\x80\xaf", 64), "\\ufffd\\ufffd\\ufffd"); /* '/' in 3 */
	assert_string_equal(esc("\xf0\x80\x80\xaf", 64), "\\ufffd\\ufffd\\ufffd\\ufffd");
}

static void json_escape__surrogates_and_beyond_max__replaced(void **state)
{
	assert_string_equal(esc("\xed\xa0\x80", 64), "\\ufffd\\ufffd\\ufffd"); /* U+D800 */
	assert_string_equal(esc("\xf4\x90\x80\x80", 64), "\\ufffd\\ufffd\\ufffd\\ufffd");
	assert_string_equal(esc("\xf5\x80\x80\x80", 64), "\\ufffd\\ufffd\\ufffd\\ufffd");
}

static void json_escape__maxlen_and_nul__stop_input(void **state)
{
	assert_string_equal(esc("abcdef", 3), "abc");
	assert_string_equal(esc("ab\0cd", 64), "ab");
	/* a sequence cut by maxlen is not valid there */
	assert_string_equal(esc("\xc3\xa9", 1), "\\ufffd");
}

static void json_escape__small_buffer__no_split_escape(void **state)
{
	char buf[8];

	/* "\u0001" is 6 bytes: with 7 bytes of room only one fits, never half of one */
	gb_json_escape(buf, sizeof(buf), "\x01\x01", 8);
	assert_string_equal(buf, "\\u0001");
	gb_json_escape(buf, 1, "abc", 8);
	assert_string_equal(buf, "");
}

static void json_str__into_outbuf__quoted(void **state)
{
	int fd = memfd_create("gbjson", MFD_CLOEXEC);
	struct gb_outbuf b;
	char got[64] = { 0 };

	assert_true(fd >= 0);
	assert_int_equal(gb_outbuf_init(&b, fd, 16), 0); /* smaller than the output */
	gb_json_str(&b, "x\"\xff\n", 16);
	gb_out_char(&b, ',');
	gb_json_str(&b, "", 16);
	assert_int_equal(gb_outbuf_flush(&b), 0);
	gb_outbuf_free(&b);
	assert_true(pread(fd, got, sizeof(got) - 1, 0) > 0);
	assert_string_equal(got, "\"x\\\"\\ufffd\\n\",\"\"");
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_escape__plain_ascii__unchanged),
		cmocka_unit_test(json_escape__quote_and_backslash__escaped),
		cmocka_unit_test(json_escape__control_chars__short_or_u_escapes),
		cmocka_unit_test(json_escape__valid_utf8__kept),
		cmocka_unit_test(json_escape__invalid_bytes__one_replacement_each),
		cmocka_unit_test(json_escape__overlong_forms__replaced),
		cmocka_unit_test(json_escape__surrogates_and_beyond_max__replaced),
		cmocka_unit_test(json_escape__maxlen_and_nul__stop_input),
		cmocka_unit_test(json_escape__small_buffer__no_split_escape),
		cmocka_unit_test(json_str__into_outbuf__quoted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
