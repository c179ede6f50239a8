// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "wake.h"

void gb_wake_init(struct gb_wake *w, uint64_t ring_size)
{
	memset(w, 0, sizeof(*w));
	w->large = ring_size / 8;
	w->small = w->large < GB_WAKE_SMALL_MAX ? w->large : GB_WAKE_SMALL_MAX;
	w->cur = w->small;
	w->fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);
}

void gb_wake_close(struct gb_wake *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

uint64_t gb_wake_choose(const struct gb_wake *w, double idle_share)
{
	if (idle_share >= GB_WAKE_IDLE_HIGH)
		return w->small;
	if (idle_share < GB_WAKE_IDLE_LOW)
		return w->large;
	return w->cur;
}

int gb_proc_stat_parse(const char *buf, uint64_t *idle, uint64_t *total)
{
	/* cpu  user nice system idle iowait irq softirq steal ... */
	uint64_t v[8] = { 0 };
	int n = sscanf(buf, "cpu %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
			    " %" SCNu64 " %" SCNu64 " %" SCNu64,
		       &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);

	if (n < 4)
		return -EINVAL;
	*total = 0;
	for (int i = 0; i < 8; i++)
		*total += v[i];
	*idle = v[3] + v[4];
	return 0;
}

uint64_t gb_wake_tick(struct gb_wake *w, uint64_t now_ns)
{
	uint64_t idle, total, next;
	char buf[256];
	ssize_t n;

	if (w->fd < 0 || (w->last_ns && now_ns - w->last_ns < GB_WAKE_PERIOD_NS))
		return 0;
	w->last_ns = now_ns;
	n = pread(w->fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	if (gb_proc_stat_parse(buf, &idle, &total))
		return 0;
	next = w->cur;
	if (w->last_total && total > w->last_total && idle >= w->last_idle)
		next = gb_wake_choose(w, (double)(idle - w->last_idle) /
						 (double)(total - w->last_total));
	w->last_idle = idle;
	w->last_total = total;
	if (next == w->cur)
		return 0;
	w->cur = next;
	return next;
}
