/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A large output buffer in front of a file descriptor: the printers format many events
 * into it and it goes out in few write()s. No allocation per event.
 */
#ifndef GB_OUTBUF_H
#define GB_OUTBUF_H

#include <stddef.h>
#include <stdint.h>

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

void gb_out_mem(struct gb_outbuf *b, const void *p, size_t n);
void gb_out_str(struct gb_outbuf *b, const char *s);
void gb_out_char(struct gb_outbuf *b, char c);
void gb_out_u64(struct gb_outbuf *b, uint64_t v);
void gb_out_i64(struct gb_outbuf *b, int64_t v);
void gb_out_printf(struct gb_outbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* JSON: a string value with quotes; control characters escaped, invalid UTF-8 bytes
 * replaced by U+FFFD, at most maxlen input bytes, stopping at a NUL. */
void gb_json_str(struct gb_outbuf *b, const char *s, size_t maxlen);
/* "key": prefixed by a comma unless first */
void gb_json_key(struct gb_outbuf *b, const char *key, int *first);

/* Escape into a plain buffer (for tests and the table); returns bytes written, always
 * NUL-terminates when size > 0. */
size_t gb_json_escape(char *dst, size_t size, const char *s, size_t maxlen);

/* The same for plain text (the table): control characters and bytes that are not
 * UTF-8 escaped, quotes and backslashes left alone. */
size_t gb_text_escape(char *dst, size_t size, const char *s, size_t maxlen);

#endif
