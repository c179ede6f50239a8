/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A large output buffer in front of a file descriptor: the printers format many events
 * into it and it goes out in few write()s. No allocation per event.
 */
#ifndef GB_OUTBUF_H
#define GB_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct gb_outbuf {
	char *data;
	size_t len;
	size_t cap;
	int fd;
	int err; /* first write error (-errno), sticky */
};

int gb_outbuf_init(struct gb_outbuf *b, int fd, size_t cap);
void gb_outbuf_free(struct gb_outbuf *b);
int gb_outbuf_flush(struct gb_outbuf *b);
/* make room for n more bytes, flushing if needed; returns where to write or NULL */
char *gb_outbuf_room(struct gb_outbuf *b, size_t n);

/* The slow paths of the inline writers below: flush first, or write through. */
void gb_out_mem_slow(struct gb_outbuf *b, const void *p, size_t n);
void gb_out_char_slow(struct gb_outbuf *b, char c);

/*
 * The writers every printer calls many times per event are inline, with one length
 * check on the fast path; a key or a number costs a few instructions, not a call chain.
 */
static inline void gb_out_mem(struct gb_outbuf *b, const void *p, size_t n)
{
	if (__builtin_expect(b->cap - b->len >= n, 1)) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
	} else {
		gb_out_mem_slow(b, p, n);
	}
}

static inline void gb_out_char(struct gb_outbuf *b, char c)
{
	if (__builtin_expect(b->len < b->cap, 1))
		b->data[b->len++] = c;
	else
		gb_out_char_slow(b, c);
}

static inline void gb_out_str(struct gb_outbuf *b, const char *s)
{
	gb_out_mem(b, s, strlen(s));
}

/* "00".."99": two digits per division */
extern const char gb_digit_pairs[200];

static inline void gb_out_u64(struct gb_outbuf *b, uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;

		v /= 100;
		tmp[--i] = gb_digit_pairs[d + 1];
		tmp[--i] = gb_digit_pairs[d];
	}
	if (v >= 10) {
		tmp[--i] = gb_digit_pairs[v * 2 + 1];
		tmp[--i] = gb_digit_pairs[v * 2];
	} else {
		tmp[--i] = '0' + v;
	}
	gb_out_mem(b, tmp + i, sizeof(tmp) - i);
}

static inline void gb_out_i64(struct gb_outbuf *b, int64_t v)
{
	if (v < 0) {
		gb_out_char(b, '-');
		gb_out_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		gb_out_u64(b, (uint64_t)v);
	}
}
void gb_out_printf(struct gb_outbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* JSON: a string value with quotes; control characters escaped, invalid UTF-8 bytes
 * replaced by U+FFFD, at most maxlen input bytes, stopping at a NUL. */
void gb_json_str(struct gb_outbuf *b, const char *s, size_t maxlen);
/* "key": prefixed by a comma unless first; inline so that a literal key's length is
 * known at compile time */
static inline void gb_json_key(struct gb_outbuf *b, const char *key, int *first)
{
	size_t n = strlen(key);
	char *p;

	if (__builtin_expect(b->cap - b->len < n + 4, 0)) {
		if (!*first)
			gb_out_char(b, ',');
		*first = 0;
		gb_out_char(b, '"');
		gb_out_mem(b, key, n);
		gb_out_mem(b, "\":", 2);
		return;
	}
	p = b->data + b->len;
	if (!*first)
		*p++ = ',';
	*first = 0;
	*p++ = '"';
	memcpy(p, key, n);
	p += n;
	*p++ = '"';
	*p++ = ':';
	b->len = p - b->data;
}

/* Escape into a plain buffer (for tests and the table); returns bytes written, always
 * NUL-terminates when size > 0. */
size_t gb_json_escape(char *dst, size_t size, const char *s, size_t maxlen);

/* The same for plain text (the table): control characters and bytes that are not
 * UTF-8 escaped, quotes and backslashes left alone. */
size_t gb_text_escape(char *dst, size_t size, const char *s, size_t maxlen);

#endif
