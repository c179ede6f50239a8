// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Correlating rtnetlink requests and link notifications into netdev_move events; the
 * rules are in netdev_corr.h. Moves are rare, so plain linked lists and arrays do.
 *
 * Matching keys: a request and the RTM_DELLINK of the namespace the device left share
 * (old namespace, old ifindex); a request and the RTM_NEWLINK of the namespace it
 * entered share (new namespace, new ifindex); a DELLINK and the NEWLINK after it share
 * the new ifindex (IFLA_NEW_IFINDEX) and, when the netnsid could be resolved, the
 * namespace. Order: the kernel sends a move's DELLINK before its NEWLINK and one
 * listener receives both, so a NEWLINK never completes a later DELLINK; and no
 * notification received before a request was made belongs to it.
 * A NEWLINK only counts as an arrival for an ifindex that was not already in that
 * namespace: the rest are state changes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include "netdev_corr.h"

struct pend {
	struct gb_ev_netdev_move ev;
	int have_req, have_del, have_new;
	int want_del, want_new;
	uint8_t addr[GB_NETDEV_ADDR_MAX];
	uint32_t addr_len;
	int has_kind;
	uint64_t deadline;
	uint64_t note_ts; /* receipt of the first notification, 0 before */
	struct pend *next;
};

/* A device in a watched namespace, or (departed) one that left the host. */
struct link {
	uint32_t netns;
	int32_t ifindex;
	char name[GB_IFNAME_LEN];
	uint8_t addr[GB_NETDEV_ADDR_MAX];
	uint32_t addr_len;
	uint64_t ts; /* departed: when it left (only a later arrival can be its return) */
	int has_kind; /* departed: virtual, so never handed back */
};

struct watch {
	uint32_t netns;
	uint32_t root_level;
	int traced; /* a sandbox's: moves into or out of it are events by themselves */
};

struct vec {
	void *v;
	size_t n, cap, size;
};

struct gb_nd_corr {
	uint32_t host;
	gb_nd_emit_fn emit;
	void *ctx;
	struct pend *pend;
	struct vec watch;    /* struct watch */
	struct vec known;    /* struct link: devices now in watched namespaces */
	struct vec departed; /* struct link: devices that left the host, where they went */
};

static void *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = realloc(v->v, cap * v->size);

		if (!p)
			return NULL;
		v->v = p;
		v->cap = cap;
	}
	return memset((char *)v->v + v->n++ * v->size, 0, v->size);
}

static void vec_del(struct vec *v, void *elem)
{
	char *last = (char *)v->v + (v->n - 1) * v->size;

	if ((char *)elem != last)
		memcpy(elem, last, v->size);
	v->n--;
}

#define VEC_AT(vec, type, i) (&((type *)(vec).v)[i])

struct gb_nd_corr *gb_nd_corr_new(uint32_t host_netns, gb_nd_emit_fn emit, void *ctx)
{
	struct gb_nd_corr *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->host = host_netns;
	c->emit = emit;
	c->ctx = ctx;
	c->watch.size = sizeof(struct watch);
	c->known.size = sizeof(struct link);
	c->departed.size = sizeof(struct link);
	return c;
}

void gb_nd_corr_free(struct gb_nd_corr *c)
{
	if (!c)
		return;
	while (c->pend) {
		struct pend *p = c->pend;

		c->pend = p->next;
		free(p);
	}
	free(c->watch.v);
	free(c->known.v);
	free(c->departed.v);
	free(c);
}

static struct watch *watch_find(const struct gb_nd_corr *c, uint32_t netns)
{
	for (size_t i = 0; netns && i < c->watch.n; i++)
		if (VEC_AT(c->watch, struct watch, i)->netns == netns)
			return VEC_AT(c->watch, struct watch, i);
	return NULL;
}

int gb_nd_corr_watched(const struct gb_nd_corr *c, uint32_t netns)
{
	return watch_find(c, netns) != NULL;
}

int gb_nd_corr_watch(struct gb_nd_corr *c, uint32_t netns, uint32_t root_level, int traced)
{
	struct watch *w = watch_find(c, netns);

	if (!w && !(w = vec_push(&c->watch)))
		return -ENOMEM;
	w->netns = netns;
	w->root_level = root_level;
	w->traced = traced;
	return 0;
}

static int traced(const struct gb_nd_corr *c, uint32_t netns)
{
	const struct watch *w = watch_find(c, netns);

	return w && w->traced;
}

static struct link *link_find(struct vec *v, uint32_t netns, int32_t ifindex)
{
	for (size_t i = 0; i < v->n; i++) {
		struct link *l = VEC_AT(*v, struct link, i);

		if (l->netns == netns && l->ifindex == ifindex)
			return l;
	}
	return NULL;
}

static struct link *link_by_addr(struct vec *v, const uint8_t *addr, uint32_t len)
{
	for (size_t i = 0; len && i < v->n; i++) {
		struct link *l = VEC_AT(*v, struct link, i);

		if (l->addr_len == len && !memcmp(l->addr, addr, len))
			return l;
	}
	return NULL;
}

static void link_set(struct link *l, uint32_t netns, int32_t ifindex, const char *name,
		     const uint8_t *addr, uint32_t addr_len)
{
	l->netns = netns;
	l->ifindex = ifindex;
	strncpy(l->name, name, GB_IFNAME_LEN - 1);
	l->name[GB_IFNAME_LEN - 1] = 0;
	if (addr_len > GB_NETDEV_ADDR_MAX)
		addr_len = GB_NETDEV_ADDR_MAX;
	memcpy(l->addr, addr, addr_len);
	l->addr_len = addr_len;
}

int gb_nd_corr_known(struct gb_nd_corr *c, uint32_t netns, int32_t ifindex, const char *name,
		     const uint8_t *addr, uint32_t addr_len)
{
	struct link *l = link_find(&c->known, netns, ifindex);

	if (!l && !(l = vec_push(&c->known)))
		return -ENOMEM;
	link_set(l, netns, ifindex, name, addr, addr_len);
	return 0;
}

static void pend_unlink(struct gb_nd_corr *c, struct pend *p)
{
	for (struct pend **pp = &c->pend; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			return;
		}
	}
}

static struct pend *pend_new(struct gb_nd_corr *c, uint64_t deadline)
{
	struct pend *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->deadline = deadline;
	p->next = c->pend;
	c->pend = p;
	return p;
}

static void pend_addr(struct pend *p, const struct gb_nd_note *n)
{
	if (!p->note_ts)
		p->note_ts = n->ts_ns;
	if (!n->addr_len || p->addr_len)
		return;
	p->addr_len = n->addr_len > GB_NETDEV_ADDR_MAX ? GB_NETDEV_ADDR_MAX : n->addr_len;
	memcpy(p->addr, n->addr, p->addr_len);
	p->has_kind = n->has_kind;
}

/* The header of a record no request explains: no task, the time of the notification. */
static void hdr_from_note(const struct gb_nd_corr *c, struct gb_ev_netdev_move *e,
			  uint64_t ts, uint32_t netns_a, uint32_t netns_b)
{
	const struct watch *w = watch_find(c, netns_a);

	if (!w || !w->traced)
		w = watch_find(c, netns_b) ?: w;
	memset(&e->hdr, 0, sizeof(e->hdr));
	e->hdr.ts_ns = ts;
	e->hdr.kind = GB_EV_NETDEV_MOVE;
	e->hdr.method = GB_METHOD_NETLINK;
	e->hdr.size = sizeof(*e);
	e->hdr.root_level = w ? w->root_level : 0;
}

/* Emit, and keep track of where devices that left the host went. */
static void finish(struct gb_nd_corr *c, struct pend *p)
{
	const struct gb_ev_netdev_move *e = &p->ev;
	struct link *d;

	pend_unlink(c, p);
	if (e->ret == 0 && p->addr_len) {
		d = link_by_addr(&c->departed, p->addr, p->addr_len);
		if (e->new_netns == c->host) {
			if (d)
				vec_del(&c->departed, d);
		} else if (d || e->old_netns == c->host) {
			if (d || (d = vec_push(&c->departed))) {
				link_set(d, e->new_netns, e->new_ifindex, e->new_name, p->addr,
					 p->addr_len);
				d->ts = p->note_ts ? p->note_ts : e->hdr.ts_ns;
				d->has_kind = p->has_kind;
			}
		}
	}
	c->emit(c->ctx, e);
	free(p);
}

static int complete(const struct pend *p)
{
	return p->have_req && (!p->want_del || p->have_del) && (!p->want_new || p->have_new);
}

void gb_nd_corr_request(struct gb_nd_corr *c, const struct gb_ev_netdev_move *e)
{
	struct pend *p;

	if (e->ret != 0 || e->old_netns == e->new_netns) {
		c->emit(c->ctx, e); /* refused, or a no-op: no notification will follow */
		return;
	}
	for (p = c->pend; p; p = p->next) {
		/* notifications received before the request was made belong to another move */
		if (p->have_req || p->note_ts < e->hdr.ts_ns)
			continue;
		if (p->have_del && p->ev.old_netns == e->old_netns &&
		    p->ev.old_ifindex == e->old_ifindex)
			break;
		if (p->have_new && p->ev.new_netns == e->new_netns &&
		    p->ev.new_ifindex == e->new_ifindex)
			break;
	}
	if (!p && !(p = pend_new(c, e->hdr.ts_ns + GB_NETDEV_CORR_WAIT_NS))) {
		c->emit(c->ctx, e); /* out of memory: report unconfirmed rather than lose it */
		return;
	}
	p->ev = *e; /* what the BPF side read from the device itself is authoritative */
	p->have_req = 1;
	p->want_del = gb_nd_corr_watched(c, e->old_netns);
	p->want_new = gb_nd_corr_watched(c, e->new_netns);
	if (complete(p))
		finish(c, p);
}

static void note_moved_out(struct gb_nd_corr *c, const struct gb_nd_note *n)
{
	struct link *l = link_find(&c->known, n->netns, n->ifindex);
	struct pend *p;

	if (l)
		vec_del(&c->known, l);
	for (p = c->pend; p; p = p->next) {
		if (p->have_del || (p->have_req && n->ts_ns < p->ev.hdr.ts_ns))
			continue;
		/* not an arrival seen alone: one listener gets both notifications of a move,
		 * and the kernel sends the RTM_DELLINK first */
		if (p->have_req && p->ev.old_netns == n->netns && p->ev.old_ifindex == n->ifindex)
			break;
	}
	if (!p) {
		p = pend_new(c, n->ts_ns + GB_NETDEV_CORR_WAIT_NS);
		if (!p)
			return;
		hdr_from_note(c, &p->ev, n->ts_ns, n->netns, n->new_netns);
		p->ev.new_netns = n->new_netns;
		p->ev.new_ifindex = n->new_ifindex;
		memcpy(p->ev.new_name, n->name, GB_IFNAME_LEN); /* until the NEWLINK says */
	}
	if (!p->have_req) {
		p->ev.old_netns = n->netns;
		p->ev.old_ifindex = n->ifindex;
		memcpy(p->ev.old_name, n->name, GB_IFNAME_LEN);
	}
	p->have_del = 1;
	pend_addr(p, n);
	if (complete(p))
		finish(c, p);
}

static void note_new(struct gb_nd_corr *c, const struct gb_nd_note *n)
{
	struct link *l = link_find(&c->known, n->netns, n->ifindex);
	struct pend *p;

	if (l) { /* a state change or rename of a device already here */
		link_set(l, n->netns, n->ifindex, n->name, n->addr, n->addr_len);
		return;
	}
	gb_nd_corr_known(c, n->netns, n->ifindex, n->name, n->addr, n->addr_len);
	for (p = c->pend; p; p = p->next) {
		if (p->have_new || (p->have_req && n->ts_ns < p->ev.hdr.ts_ns))
			continue;
		if (p->have_req && p->ev.new_netns == n->netns && p->ev.new_ifindex == n->ifindex)
			break;
		if (!p->have_req && p->have_del && p->ev.new_ifindex == n->ifindex &&
		    (!p->ev.new_netns || p->ev.new_netns == n->netns))
			break;
	}
	if (!p) { /* an arrival nothing explains yet: a creation, or a device handed back */
		p = pend_new(c, n->ts_ns + GB_NETDEV_CORR_WAIT_NS);
		if (!p)
			return;
		hdr_from_note(c, &p->ev, n->ts_ns, n->netns, 0);
	}
	if (!p->have_req) {
		p->ev.new_netns = n->netns;
		p->ev.new_ifindex = n->ifindex;
		memcpy(p->ev.new_name, n->name, GB_IFNAME_LEN);
	}
	p->have_new = 1;
	pend_addr(p, n);
	if (complete(p))
		finish(c, p);
}

void gb_nd_corr_note(struct gb_nd_corr *c, const struct gb_nd_note *n)
{
	if (!gb_nd_corr_watched(c, n->netns))
		return;
	if (n->type == RTM_DELLINK) {
		if (n->has_new_netnsid)
			note_moved_out(c, n);
		else { /* deleted */
			struct link *l = link_find(&c->known, n->netns, n->ifindex);

			if (l)
				vec_del(&c->known, l);
		}
	} else if (n->type == RTM_NEWLINK) {
		note_new(c, n);
	}
}

/* A pending entry's deadline passed (or the trace ends): emit it or drop it. */
static void expire(struct gb_nd_corr *c, struct pend *p)
{
	struct link *d;

	if (p->have_req) {
		if ((p->want_del && !p->have_del) || (p->want_new && !p->have_new))
			p->ev.info |= GB_NETDEV_UNCONFIRMED;
		finish(c, p);
		return;
	}
	if (p->have_del) {
		/* the host is listened to for confirmations only: a move between it and a
		 * namespace nobody traces, with no traced mover, is none of our business */
		if (!traced(c, p->ev.old_netns) && !traced(c, p->ev.new_netns)) {
			pend_unlink(c, p);
			free(p);
			return;
		}
		p->ev.info |= GB_NETDEV_NO_REQUEST;
		finish(c, p);
		return;
	}
	/* only an arrival: a device that had left the host and came back by itself */
	d = p->ev.new_netns == c->host ? link_by_addr(&c->departed, p->addr, p->addr_len) : NULL;
	if (!d || d->ts >= p->note_ts) { /* a creation; or it arrived before it ever left */
		pend_unlink(c, p);
		free(p);
		return;
	}
	p->ev.old_netns = d->netns;
	p->ev.old_ifindex = d->ifindex;
	memcpy(p->ev.old_name, d->name, GB_IFNAME_LEN);
	p->ev.info |= GB_NETDEV_KERNEL | GB_NETDEV_NO_REQUEST;
	if (!p->ev.hdr.root_level) {
		const struct watch *w = watch_find(c, d->netns);

		p->ev.hdr.root_level = w ? w->root_level : 0;
	}
	finish(c, p);
}

int gb_nd_corr_awaiting_return(const struct gb_nd_corr *c)
{
	int n = 0;

	for (size_t i = 0; i < c->departed.n; i++) {
		const struct link *d = VEC_AT(c->departed, struct link, i);

		n += !d->has_kind && d->netns != c->host;
	}
	return n;
}

uint64_t gb_nd_corr_tick(struct gb_nd_corr *c, uint64_t now_ns)
{
	uint64_t next = 0;
	struct pend *p, *nx;

	/* oldest first: the list is newest first, so collect in reverse */
	for (int again = 1; again;) {
		struct pend *oldest = NULL;

		again = 0;
		for (p = c->pend; p; p = p->next)
			if (p->deadline <= now_ns && (!oldest || p->deadline <= oldest->deadline))
				oldest = p;
		if (oldest) {
			expire(c, oldest);
			again = 1;
		}
	}
	for (p = c->pend; p; p = nx) {
		nx = p->next;
		if (!next || p->deadline < next)
			next = p->deadline;
	}
	return next;
}

void gb_nd_corr_flush(struct gb_nd_corr *c)
{
	gb_nd_corr_tick(c, UINT64_MAX);
}
