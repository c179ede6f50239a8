// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for the escapers: whatever the input bytes, gb_json_str must give
 * one valid JSON string in valid UTF-8, gb_json_escape and gb_text_escape must stay in
 * their buffer, NUL-terminate, and let no control byte or invalid UTF-8 through.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "outbuf.h"

/* Length of the valid UTF-8 sequence at p, 0 if invalid (RFC 3629, no surrogates). */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* A JSON string body (between the quotes): valid escapes, no raw control or quote. */
static void check_json_body(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l;

		if (p[i] == '\\') {
			if (i + 1 >= n)
				abort();
			if (strchr("\"\\/bfnrt", p[i + 1]) && p[i + 1]) {
				i += 2;
				continue;
			}
			if (p[i + 1] != 'u' || i + 6 > n)
				abort();
			for (int k = 2; k < 6; k++)
				if (!strchr("0123456789abcdef", p[i + k]) || !p[i + k])
					abort();
			i += 6;
			continue;
		}
		if (p[i] < 0x20 || p[i] == '"' || p[i] == 0x7f)
			abort();
		l = utf8_len(p + i, n - i);
		if (!l)
			abort();
		i += l;
	}
}

static void check_text(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l;

		if (p[i] < 0x20 || p[i] == 0x7f)
			abort();
		l = utf8_len(p + i, n - i);
		if (!l)
			abort();
		i += l;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[64 * 1024];
	struct gb_outbuf b;
	size_t cap, n;
	char *s;

	if (size > 8192)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;

	/* into an output buffer large enough never to flush (fd -1 is never written) */
	if (gb_outbuf_init(&b, -1, size * 6 + 16) == 0) {
		gb_json_str(&b, s, size);
		if (b.len < 2 || b.data[0] != '"' || b.data[b.len - 1] != '"' || b.err)
			abort();
		check_json_body((const unsigned char *)b.data + 1, b.len - 2);
		gb_outbuf_free(&b);
	}

	/* into a buffer of a size the input picks, possibly too small */
	cap = size ? (size_t)data[0] * 8 % sizeof(out) + 1 : 1;
	memset(out, 'X', cap + 1);
	n = gb_json_escape(out, cap, s, size);
	if (n >= cap || out[n] != 0 || out[cap] != 'X')
		abort();
	check_json_body((const unsigned char *)out, n);
	n = gb_text_escape(out, cap, s, size);
	if (n >= cap || out[n] != 0 || out[cap] != 'X')
		abort();
	check_text((const unsigned char *)out, n);
	free(s);
	return 0;
}
