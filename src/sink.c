// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include "sink.h"

size_t gb_event_size(uint32_t kind)
{
	switch (kind) {
	case GB_EV_CLONE: return sizeof(struct gb_ev_clone);
	case GB_EV_EXEC: return sizeof(struct gb_ev_exec);
	case GB_EV_EXIT: return sizeof(struct gb_ev_exit);
	case GB_EV_SIGNAL_GENERATE:
	case GB_EV_SIGNAL_DELIVER:
	case GB_EV_SIGNAL_FAILED: return sizeof(struct gb_ev_signal);
	case GB_EV_SETNS: return sizeof(struct gb_ev_setns);
	case GB_EV_UNSHARE: return sizeof(struct gb_ev_unshare);
	case GB_EV_NETDEV_MOVE: return sizeof(struct gb_ev_netdev_move);
	}
	return 0;
}

int gb_sinks_begin(struct gb_sink *s, const struct gb_run_info *info)
{
	int err;

	for (; s; s = s->next)
		if (s->ops->begin && (err = s->ops->begin(s, info)))
			return err;
	return 0;
}

int gb_sinks_event(struct gb_sink *s, const struct gb_event_hdr *e, size_t size)
{
	int err;

	for (; s; s = s->next)
		if (s->ops->event && (err = s->ops->event(s, e, size)))
			return err;
	return 0;
}

int gb_sinks_flush(struct gb_sink *s)
{
	int err;

	for (; s; s = s->next)
		if (s->ops->flush && (err = s->ops->flush(s)))
			return err;
	return 0;
}

int gb_sinks_end(struct gb_sink *s, const struct gb_summary *sum)
{
	int err, first = 0;

	/* every sink gets its end, even after one failed: each may hold a file to close */
	for (; s; s = s->next)
		if (s->ops->end && (err = s->ops->end(s, sum)) && !first)
			first = err;
	return first;
}

void gb_sinks_destroy(struct gb_sink *s)
{
	while (s) {
		struct gb_sink *next = s->next;

		if (s->ops->destroy)
			s->ops->destroy(s);
		s = next;
	}
}
