// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "outbuf.h"

int gb_outbuf_init(struct gb_outbuf *b, int fd, size_t cap)
{
	b->data = malloc(cap);
	if (!b->data)
		return -ENOMEM;
	b->len = 0;
	b->cap = cap;
	b->fd = fd;
	b->err = 0;
	return 0;
}

void gb_outbuf_free(struct gb_outbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int gb_outbuf_flush(struct gb_outbuf *b)
{
	size_t off = 0;

	while (off < b->len && !b->err) {
		ssize_t n = write(b->fd, b->data + off, b->len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			b->err = -errno;
			break;
		}
		off += n;
	}
	b->len = 0;
	return b->err;
}

char *gb_outbuf_room(struct gb_outbuf *b, size_t n)
{
	if (b->len + n > b->cap) {
		gb_outbuf_flush(b);
		if (n > b->cap)
			return NULL;
	}
	return b->data + b->len;
}

void gb_out_mem(struct gb_outbuf *b, const void *p, size_t n)
{
	char *dst = gb_outbuf_room(b, n);

	if (!dst) { /* larger than the whole buffer: write through */
		const char *src = p;

		while (n) {
			size_t chunk = n < b->cap ? n : b->cap;

			gb_out_mem(b, src, chunk);
			src += chunk;
			n -= chunk;
		}
		return;
	}
	memcpy(dst, p, n);
	b->len += n;
}

void gb_out_str(struct gb_outbuf *b, const char *s)
{
	gb_out_mem(b, s, strlen(s));
}

void gb_out_char(struct gb_outbuf *b, char c)
{
	char *dst = gb_outbuf_room(b, 1);

	if (dst) {
		*dst = c;
		b->len++;
	}
}

void gb_out_u64(struct gb_outbuf *b, uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	gb_out_mem(b, tmp + i, sizeof(tmp) - i);
}

void gb_out_i64(struct gb_outbuf *b, int64_t v)
{
	if (v < 0) {
		gb_out_char(b, '-');
		gb_out_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		gb_out_u64(b, (uint64_t)v);
	}
}

void gb_out_printf(struct gb_outbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	gb_out_mem(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), 0 if invalid. Rejects
 * overlong forms, surrogates and code points above U+10FFFF (RFC 3629). */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Escaped form of one input position into out (at most 6 bytes + NUL); returns the
 * input bytes consumed and sets *outlen. */
static size_t escape_one(const unsigned char *s, size_t n, char out[8], size_t *outlen,
			 int json)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c = s[0];
	size_t len;

	switch (c) {
	case '"':
	case '\\':
		if (!json)
			break; /* plain text keeps quotes and backslashes as they are */
		out[0] = '\\', out[1] = c;
		*outlen = 2;
		return 1;
	case '\n': memcpy(out, "\\n", 2); *outlen = 2; return 1;
	case '\t': memcpy(out, "\\t", 2); *outlen = 2; return 1;
	case '\r': memcpy(out, "\\r", 2); *outlen = 2; return 1;
	case '\b': memcpy(out, "\\b", 2); *outlen = 2; return 1;
	case '\f': memcpy(out, "\\f", 2); *outlen = 2; return 1;
	}
	if (c < 0x20 || c == 0x7f) {
		out[0] = '\\', out[1] = 'u', out[2] = '0', out[3] = '0';
		out[4] = hex[c >> 4], out[5] = hex[c & 15];
		*outlen = 6;
		return 1;
	}
	len = utf8_seq_len(s, n);
	if (!len) { /* not UTF-8: the replacement character, one per bad byte */
		memcpy(out, "\\ufffd", 6);
		*outlen = 6;
		return 1;
	}
	memcpy(out, s, len);
	*outlen = len;
	return len;
}

void gb_json_str(struct gb_outbuf *b, const char *s, size_t maxlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strnlen(s, maxlen), i = 0;

	gb_out_char(b, '"');
	while (i < n) {
		size_t run = i;

		/* copy plain ASCII runs in one go: the common case */
		while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' &&
		       p[run] != '\\')
			run++;
		if (run > i) {
			gb_out_mem(b, p + i, run - i);
			i = run;
			continue;
		}
		{
			char esc[8];
			size_t elen;

			i += escape_one(p + i, n - i, esc, &elen, 1);
			gb_out_mem(b, esc, elen);
		}
	}
	gb_out_char(b, '"');
}

void gb_json_key(struct gb_outbuf *b, const char *key, int *first)
{
	if (!*first)
		gb_out_char(b, ',');
	*first = 0;
	gb_out_char(b, '"');
	gb_out_str(b, key);
	gb_out_mem(b, "\":", 2);
}

static size_t escape_into(char *dst, size_t size, const char *s, size_t maxlen, int json)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strnlen(s, maxlen), i = 0, len = 0;

	if (!size)
		return 0;
	while (i < n) {
		char esc[8];
		size_t elen, used = escape_one(p + i, n - i, esc, &elen, json);

		if (len + elen >= size)
			break;
		memcpy(dst + len, esc, elen);
		len += elen;
		i += used;
	}
	dst[len] = 0;
	return len;
}

size_t gb_json_escape(char *dst, size_t size, const char *s, size_t maxlen)
{
	return escape_into(dst, size, s, maxlen, 1);
}

size_t gb_text_escape(char *dst, size_t size, const char *s, size_t maxlen)
{
	return escape_into(dst, size, s, maxlen, 0);
}
