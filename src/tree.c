// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tree builder: a sink that keeps one node per process (keyed by host PID; a PID reused
 * after an exit gets a new node), one per PID namespace, the signals sent between
 * processes (aggregated per sender, target and signal) and the device moves. Output
 * order is the order things were first seen, so a replay prints the same tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "decode.h"
#include "outbuf.h"
#include "tree.h"
#include "util.h"

/* bytes of exec names kept per process */
#define GB_EXEC_CHAIN_MAX 1024

struct proc {
	uint32_t pid, ns_pid, own_pid, level, pidns;
	uint32_t netns_first, netns;
	int parent;  /* index of the process that cloned it, -1 */
	int first_child, last_child, next_sibling;
	int group;   /* index of its (PID namespace, network namespace) pair, at the end */
	char comm[GB_COMM_LEN];
	char *exec;  /* every successful exec: "a -> b" */
	int32_t status;
	int exited;
	int traced;  /* seen acting or being cloned, not only as a signal target */
	uint32_t threads;
};

struct pidns {
	uint32_t ino, level, parent; /* parent 0: not known */
};

struct sig_edge {
	int from, to;
	int32_t sig;
	uint64_t count;
};

struct move {
	char old_name[GB_IFNAME_LEN], new_name[GB_IFNAME_LEN];
	uint32_t old_netns, new_netns;
	int by;
	int32_t ret;
};

/* open addressing, u64 key -> index; slot value -1 is empty */
struct hmap {
	uint64_t *keys;
	int *vals;
	size_t cap, len;
};

struct tree_sink {
	struct gb_sink sink;
	int text_fd;
	char *dot_path;
	int dot_fd;
	struct gb_run_info info;
	struct proc *procs;
	size_t nprocs, cprocs;
	struct pidns *ns;
	size_t nns, cns;
	struct sig_edge *sigs;
	size_t nsigs, csigs;
	struct move *moves;
	size_t nmoves, cmoves;
	struct hmap by_pid, by_edge;
	uint32_t *g_pidns, *g_netns; /* the (PID ns, network ns) pairs, first seen first */
	size_t ngroups;
	int oom;
};

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static int hmap_get(const struct hmap *h, uint64_t key)
{
	if (!h->cap)
		return -1;
	for (size_t i = mix(key) & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
		if (h->vals[i] < 0)
			return -1;
		if (h->keys[i] == key)
			return h->vals[i];
	}
}

static int hmap_put(struct hmap *h, uint64_t key, int val)
{
	if ((h->len + 1) * 2 > h->cap) {
		struct hmap n = { .cap = h->cap ? h->cap * 2 : 256 };

		n.keys = malloc(n.cap * sizeof(*n.keys));
		n.vals = malloc(n.cap * sizeof(*n.vals));
		if (!n.keys || !n.vals) {
			free(n.keys);
			free(n.vals);
			return -ENOMEM;
		}
		memset(n.vals, 0xff, n.cap * sizeof(*n.vals));
		for (size_t i = 0; i < h->cap; i++)
			if (h->vals[i] >= 0)
				hmap_put(&n, h->keys[i], h->vals[i]);
		free(h->keys);
		free(h->vals);
		*h = n;
	}
	for (size_t i = mix(key) & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
		if (h->vals[i] < 0) {
			h->keys[i] = key;
			h->vals[i] = val;
			h->len++;
			return 0;
		}
		if (h->keys[i] == key) {
			h->vals[i] = val;
			return 0;
		}
	}
}

static void hmap_free(struct hmap *h)
{
	free(h->keys);
	free(h->vals);
}

/* grow an array by one element; returns the new element (zeroed) or NULL */
static void *push(void **arr, size_t *n, size_t *cap, size_t elem)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		void *p = realloc(*arr, c * elem);

		if (!p)
			return NULL;
		*arr = p;
		*cap = c;
	}
	memset((char *)*arr + *n * elem, 0, elem);
	return (char *)*arr + (*n)++ * elem;
}

static void note_pidns(struct tree_sink *t, uint32_t ino, uint32_t level, uint32_t parent)
{
	struct pidns *p;

	if (!ino)
		return;
	for (size_t i = 0; i < t->nns; i++) {
		if (t->ns[i].ino == ino) {
			if (!t->ns[i].parent && parent && parent != ino)
				t->ns[i].parent = parent;
			return;
		}
	}
	p = push((void **)&t->ns, &t->nns, &t->cns, sizeof(*p));
	if (!p) {
		t->oom = 1;
		return;
	}
	p->ino = ino;
	p->level = level;
	p->parent = parent != ino ? parent : 0;
}

/* The node of a process, created from ids if there is none (or only a dead one). */
static int proc_of(struct tree_sink *t, const struct gb_ids *id, uint32_t netns,
		   const char *comm, int traced, int fresh)
{
	int i = hmap_get(&t->by_pid, id->pid);
	struct proc *p;

	if (i >= 0 && !(fresh && t->procs[i].exited)) {
		p = &t->procs[i];
		/* an exiting task has left its namespaces already: netns 0 */
		if (traced && netns && (!p->traced || !p->netns_first))
			p->netns_first = netns;
		if (traced && netns)
			p->netns = netns;
		p->traced |= traced;
		return i;
	}
	p = push((void **)&t->procs, &t->nprocs, &t->cprocs, sizeof(*p));
	if (!p || hmap_put(&t->by_pid, id->pid, (int)(t->nprocs - 1))) {
		if (p)
			t->nprocs--;
		t->oom = 1;
		return -1;
	}
	p->pid = id->pid;
	p->ns_pid = id->ns_pid;
	p->own_pid = id->own_pid;
	p->level = id->level;
	p->pidns = id->pidns;
	p->netns_first = p->netns = netns;
	p->parent = p->first_child = p->last_child = p->next_sibling = -1;
	memcpy(p->comm, comm, GB_COMM_LEN);
	p->comm[GB_COMM_LEN - 1] = 0;
	p->traced = traced;
	if (traced)
		note_pidns(t, id->pidns, id->level, 0);
	return (int)(t->nprocs - 1);
}

static void on_clone(struct tree_sink *t, const struct gb_ev_clone *e, int actor)
{
	struct proc *c;
	int i;

	if (e->ret < 0)
		return;
	if (e->info & GB_CLONE_THREAD_CHILD) {
		t->procs[actor].threads++;
		return;
	}
	note_pidns(t, e->child.pidns, e->child.level, e->child_pidns_parent);
	i = proc_of(t, &e->child, e->child_netns, e->hdr.comm, e->child.ns_pid != 0, 1);
	if (i < 0 || i == actor)
		return;
	c = &t->procs[i];
	if (c->parent >= 0)
		return;
	c->parent = actor;
	/* append as the last child, so children are in clone order */
	if (t->procs[actor].first_child < 0)
		t->procs[actor].first_child = i;
	else
		t->procs[t->procs[actor].last_child].next_sibling = i;
	t->procs[actor].last_child = i;
}

static void on_signal(struct tree_sink *t, const struct gb_ev_signal *e, int actor)
{
	int to = proc_of(t, &e->target, e->target_netns, e->target_comm, 0, 0);
	uint64_t key;
	struct sig_edge *s;
	int i;

	if (to < 0)
		return;
	key = (uint64_t)actor << 32 ^ (uint64_t)to << 7 ^ (uint64_t)(e->sig & 0x7f);
	i = hmap_get(&t->by_edge, key);
	if (i >= 0) {
		t->sigs[i].count++;
		return;
	}
	s = push((void **)&t->sigs, &t->nsigs, &t->csigs, sizeof(*s));
	if (!s || hmap_put(&t->by_edge, key, (int)(t->nsigs - 1))) {
		if (s)
			t->nsigs--;
		t->oom = 1;
		return;
	}
	s->from = actor;
	s->to = to;
	s->sig = e->sig;
	s->count = 1;
}

static int tree_event(struct gb_sink *s, const struct gb_event_hdr *h, size_t size)
{
	struct tree_sink *t = (struct tree_sink *)s;
	/* a task the sandbox cannot see (a kernel worker moving a device of a dying
	 * namespace) is drawn apart, not as one of the sandbox's processes */
	int actor = proc_of(t, &h->task, h->netns, h->comm, h->task.ns_pid != 0, 0);
	struct proc *p;

	if (actor < 0)
		return 0; /* out of memory: the tree says so at the end */
	switch (h->kind) {
	case GB_EV_CLONE:
		on_clone(t, (const void *)h, actor);
		break;
	case GB_EV_EXEC: {
		const struct gb_ev_exec *e = (const void *)h;
		size_t old, add;
		char *x;

		if (e->ret)
			break;
		p = &t->procs[actor];
		memcpy(p->comm, h->comm, GB_COMM_LEN);
		p->comm[GB_COMM_LEN - 1] = 0;
		/* every program the process ran, in order: "a -> b" */
		old = p->exec ? strlen(p->exec) : 0;
		if (old >= GB_EXEC_CHAIN_MAX) { /* enough: say that more followed, once */
			if (strcmp(p->exec + old - 7, " -> ...") && (x = realloc(p->exec, old + 8)))
				strcpy(x + old, " -> ..."), p->exec = x;
			break;
		}
		add = strnlen(e->filename, GB_FILENAME_LEN);
		x = realloc(p->exec, old + 4 + add + 1);
		if (!x) {
			t->oom = 1;
			break;
		}
		if (old)
			memcpy(x + old, " -> ", 4), old += 4;
		memcpy(x + old, e->filename, add);
		x[old + add] = 0;
		p->exec = x;
		break;
	}
	case GB_EV_EXIT: {
		const struct gb_ev_exit *e = (const void *)h;

		p = &t->procs[actor];
		/* the last thread's status is the process's; the leader's until then */
		if ((e->info & GB_EXIT_GROUP_DEAD) || (!(e->info & GB_EXIT_THREAD) && !p->exited)) {
			p->status = e->exit_code;
			p->exited = 1;
		}
		break;
	}
	case GB_EV_SIGNAL_GENERATE:
		on_signal(t, (const void *)h, actor);
		break;
	case GB_EV_NETDEV_MOVE: {
		const struct gb_ev_netdev_move *e = (const void *)h;
		struct move *m = push((void **)&t->moves, &t->nmoves, &t->cmoves, sizeof(*m));

		if (!m) {
			t->oom = 1;
			break;
		}
		memcpy(m->old_name, e->old_name, GB_IFNAME_LEN);
		memcpy(m->new_name, e->new_name, GB_IFNAME_LEN);
		m->old_name[GB_IFNAME_LEN - 1] = m->new_name[GB_IFNAME_LEN - 1] = 0;
		m->old_netns = e->old_netns;
		m->new_netns = e->new_netns;
		m->by = actor;
		m->ret = e->ret;
		break;
	}
	}
	return 0;
}

static int tree_begin(struct gb_sink *s, const struct gb_run_info *info)
{
	struct tree_sink *t = (struct tree_sink *)s;

	t->info = *info;
	note_pidns(t, info->root_pidns, info->root_level, 0);
	return 0;
}

/* "0:7353 1:2 2:1": the PID at every level; "?" where no record names it */
static void pids_text(const struct tree_sink *t, const struct proc *p, struct gb_outbuf *b)
{
	for (uint32_t l = 0; l <= p->level && l < GB_MAX_PID_NS_LEVEL; l++) {
		uint32_t v = 0;

		if (l == 0)
			v = p->pid;
		else if (l == p->level)
			v = p->own_pid;
		else if (l == t->info.root_level)
			v = p->ns_pid;
		if (l)
			gb_out_char(b, ' ');
		gb_out_u64(b, l);
		gb_out_char(b, ':');
		if (v)
			gb_out_u64(b, v);
		else
			gb_out_char(b, '?');
	}
}

/* a string from the kernel, as the table shows it: escapes for control bytes and
 * invalid UTF-8 */
static void text_str(struct gb_outbuf *b, const char *s, size_t max)
{
	char esc[(GB_EXEC_CHAIN_MAX + GB_FILENAME_LEN + 8) * 6 + 1];

	gb_text_escape(esc, sizeof(esc), s, max);
	gb_out_str(b, esc);
}

static void status_text(const struct proc *p, struct gb_outbuf *b)
{
	char st[64];

	if (!p->exited) {
		gb_out_str(b, "no exit seen");
		return;
	}
	gb_wait_status_str(p->status, st, sizeof(st));
	gb_out_str(b, st);
}

static void indent(struct gb_outbuf *b, int depth)
{
	for (int i = 0; i < depth; i++)
		gb_out_str(b, "  ");
}

static void tabs(struct gb_outbuf *b, int depth)
{
	for (int i = 0; i < depth; i++)
		gb_out_char(b, '\t');
}

/* One process's line, after its tree drawing. */
static void proc_line(struct tree_sink *t, struct gb_outbuf *b, const struct proc *p, int top)
{
	pids_text(t, p, b);
	gb_out_str(b, "  ");
	text_str(b, p->comm, GB_COMM_LEN);
	if (p->exec) {
		gb_out_str(b, "  exec ");
		text_str(b, p->exec, GB_EXEC_CHAIN_MAX + 8);
	}
	if (p->threads)
		gb_out_printf(b, "  +%u thread%s", p->threads, p->threads > 1 ? "s" : "");
	gb_out_str(b, "  ");
	status_text(p, b);
	if (top && p->parent >= 0) {
		gb_out_str(b, "  (parent ");
		pids_text(t, &t->procs[p->parent], b);
		gb_out_char(b, ')');
	}
	if (p->netns_first != p->netns)
		gb_out_printf(b, "  (moved from network namespace %u)", p->netns_first);
	gb_out_char(b, '\n');
}

/* the drawing shows at most this many levels of ancestors; deeper lines stay there */
#define GB_TREE_DRAW_DEPTH 64

/*
 * A process and, below it, its descendants in the same PID and network namespace (the
 * others are the tops of their own blocks). Depth first without recursion: a chain of
 * 100,000 nested forks must not overflow the stack.
 */
static int text_subtree(struct tree_sink *t, struct gb_outbuf *b, int top, int depth)
{
	struct item {
		int i;
		uint32_t level;
		int last;
	} *stk = malloc(16 * sizeof(*stk));
	size_t n = 0, cap = 16;
	unsigned char lastv[GB_TREE_DRAW_DEPTH + 1];

	if (!stk)
		return -ENOMEM;
	stk[n++] = (struct item){ top, 0, 1 };
	while (n) {
		struct item it = stk[--n];
		const struct proc *p = &t->procs[it.i];
		size_t start = n, lastpos = SIZE_MAX;

		if (it.level <= GB_TREE_DRAW_DEPTH)
			lastv[it.level] = (unsigned char)it.last;
		indent(b, depth);
		for (uint32_t l = 1; l < it.level && l <= GB_TREE_DRAW_DEPTH; l++)
			gb_out_str(b, lastv[l] ? "   " : "|  ");
		if (it.level)
			gb_out_str(b, it.last ? "`- " : "|- ");
		proc_line(t, b, p, it.level == 0);
		for (int c = p->first_child; c >= 0; c = t->procs[c].next_sibling) {
			if (t->procs[c].group != p->group)
				continue;
			if (n == cap) {
				struct item *g = realloc(stk, 2 * cap * sizeof(*stk));

				if (!g) {
					free(stk);
					return -ENOMEM;
				}
				stk = g;
				cap *= 2;
			}
			lastpos = n;
			stk[n++] = (struct item){ c, it.level + 1, 0 };
		}
		if (lastpos != SIZE_MAX)
			stk[lastpos].last = 1;
		/* the first child on top of the stack: it is printed first */
		for (size_t x = start, y = n; x + 1 < y; x++, y--) {
			struct item tmp = stk[x];

			stk[x] = stk[y - 1];
			stk[y - 1] = tmp;
		}
	}
	free(stk);
	return 0;
}

static bool is_top(const struct tree_sink *t, const struct proc *p)
{
	const struct proc *q = p->parent >= 0 ? &t->procs[p->parent] : NULL;

	return !q || q->group != p->group;
}

/* Number the (PID namespace, network namespace) pairs; every traced process gets one. */
static int build_groups(struct tree_sink *t)
{
	size_t cap = 0;

	for (size_t i = 0; i < t->nprocs; i++) {
		struct proc *p = &t->procs[i];
		size_t g;

		p->group = -1;
		if (!p->traced)
			continue;
		for (g = 0; g < t->ngroups; g++)
			if (t->g_pidns[g] == p->pidns && t->g_netns[g] == p->netns)
				break;
		if (g == t->ngroups) {
			if (g == cap) {
				void *a, *b;

				cap = cap ? cap * 2 : 16;
				a = realloc(t->g_pidns, cap * sizeof(uint32_t));
				if (a)
					t->g_pidns = a;
				b = a ? realloc(t->g_netns, cap * sizeof(uint32_t)) : NULL;
				if (!b)
					return -ENOMEM;
				t->g_netns = b;
			}
			t->g_pidns[g] = p->pidns;
			t->g_netns[g] = p->netns;
			t->ngroups++;
		}
		p->group = (int)g;
	}
	return 0;
}

static void text_pidns(struct tree_sink *t, struct gb_outbuf *b, size_t n, int depth)
{
	const struct pidns *ns = &t->ns[n];

	indent(b, depth);
	gb_out_printf(b, "PID namespace %u (level %u", ns->ino, ns->level);
	if (ns->ino == t->info.root_pidns)
		gb_out_str(b, ", the sandbox");
	else if (ns->parent)
		gb_out_printf(b, ", in %u", ns->parent);
	gb_out_str(b, ")\n");
	/* network namespaces in the order their first process appeared */
	for (size_t g = 0; g < t->ngroups; g++) {
		if (t->g_pidns[g] != ns->ino)
			continue;
		indent(b, depth + 1);
		gb_out_printf(b, "network namespace %u\n", t->g_netns[g]);
		for (size_t j = 0; j < t->nprocs; j++) {
			const struct proc *q = &t->procs[j];

			if (q->group == (int)g && is_top(t, q) && text_subtree(t, b, (int)j, depth + 2))
				t->oom = 1;
		}
	}
	for (size_t i = 0; i < t->nns; i++)
		if (t->ns[i].parent == ns->ino && i != n)
			text_pidns(t, b, i, depth + 1);
}

static bool pidns_known(const struct tree_sink *t, uint32_t ino)
{
	for (size_t i = 0; i < t->nns; i++)
		if (t->ns[i].ino == ino)
			return true;
	return false;
}

static int write_text(struct tree_sink *t)
{
	struct gb_outbuf b;
	int err;

	if (gb_outbuf_init(&b, t->text_fd, 64 << 10))
		return -ENOMEM;
	gb_out_str(&b, "\nProcess tree (PIDs as level:pid, level 0 = host)\n");
	for (size_t i = 0; i < t->nns; i++)
		if (!t->ns[i].parent || !pidns_known(t, t->ns[i].parent))
			text_pidns(t, &b, i, 0);
	if (t->nmoves) {
		gb_out_str(&b, "Network devices moved\n");
		for (size_t i = 0; i < t->nmoves; i++) {
			const struct move *m = &t->moves[i];

			gb_out_str(&b, "  ");
			text_str(&b, m->old_name, GB_IFNAME_LEN);
			gb_out_printf(&b, " (network namespace %u) -> ", m->old_netns);
			text_str(&b, m->new_name, GB_IFNAME_LEN);
			gb_out_printf(&b, " (network namespace %u) by ", m->new_netns);
			pids_text(t, &t->procs[m->by], &b);
			gb_out_char(&b, ' ');
			text_str(&b, t->procs[m->by].comm, GB_COMM_LEN);
			if (m->ret < 0)
				gb_out_printf(&b, " failed %s", gb_errno_name(m->ret));
			gb_out_char(&b, '\n');
		}
	}
	if (t->oom)
		gb_out_str(&b, "(out of memory: the tree is incomplete)\n");
	err = gb_outbuf_flush(&b);
	gb_outbuf_free(&b);
	return err;
}

/* A DOT string body: any comm or file name gives a valid file, shown as the table
 * shows it (control bytes as \n or \u0001, invalid UTF-8 bytes as \ufffd). */
static void dot_str(struct gb_outbuf *b, const char *s, size_t max)
{
	char esc[(GB_EXEC_CHAIN_MAX + GB_FILENAME_LEN + 8) * 6 + 1];
	const char *p = esc;

	/* the JSON escaper already made it valid UTF-8 with \-escapes; DOT reads \" and
	 * \\ the same way and only needs the other escapes' backslash doubled */
	gb_json_escape(esc, sizeof(esc), s, max);
	for (; *p; p++) {
		if (p[0] == '\\' && p[1] && p[1] != '"' && p[1] != '\\') {
			gb_out_str(b, "\\\\");
			continue;
		}
		if (p[0] == '\\' && p[1]) {
			gb_out_char(b, p[0]);
			gb_out_char(b, p[1]);
			p++;
			continue;
		}
		gb_out_char(b, *p);
	}
}

static void dot_proc_node(struct tree_sink *t, struct gb_outbuf *b, size_t i, int depth)
{
	const struct proc *p = &t->procs[i];

	tabs(b, depth);
	gb_out_printf(b, "\"p%zu\" [label=\"", i);
	pids_text(t, p, b);
	gb_out_str(b, "\\n");
	dot_str(b, p->comm, GB_COMM_LEN);
	if (p->exec) {
		gb_out_str(b, "\\n");
		dot_str(b, p->exec, GB_EXEC_CHAIN_MAX + 8);
	}
	if (p->threads)
		gb_out_printf(b, "\\n+%u threads", p->threads);
	if (p->traced) {
		gb_out_str(b, "\\n");
		status_text(p, b);
		gb_out_str(b, "\"];\n");
	} else {
		gb_out_str(b, "\\n(not traced)\", style=dotted];\n");
	}
}

/* the node a device move starts or ends at: one per network namespace */
static bool netns_moved(const struct tree_sink *t, uint32_t netns)
{
	for (size_t i = 0; i < t->nmoves; i++)
		if (t->moves[i].old_netns == netns || t->moves[i].new_netns == netns)
			return true;
	return false;
}

static void dot_pidns(struct tree_sink *t, struct gb_outbuf *b, size_t n, int depth,
		      uint32_t *placed, size_t *nplaced)
{
	const struct pidns *ns = &t->ns[n];

	tabs(b, depth);
	gb_out_printf(b, "subgraph \"cluster_pidns_%u\" {\n", ns->ino);
	tabs(b, depth + 1);
	gb_out_printf(b, "label=\"PID namespace %u\\nlevel %u%s\";\n", ns->ino, ns->level,
		      ns->ino == t->info.root_pidns ? " (the sandbox)" : "");
	for (size_t g = 0; g < t->ngroups; g++) {
		uint32_t netns = t->g_netns[g];
		bool anchor;

		if (t->g_pidns[g] != ns->ino)
			continue;
		tabs(b, depth + 1);
		gb_out_printf(b, "subgraph \"cluster_pidns_%u_netns_%u\" {\n", ns->ino, netns);
		tabs(b, depth + 2);
		gb_out_printf(b, "label=\"network namespace %u\"; style=dashed;\n", netns);
		anchor = netns_moved(t, netns);
		for (size_t j = 0; j < *nplaced && anchor; j++)
			anchor = placed[j] != netns;
		if (anchor) {
			placed[(*nplaced)++] = netns;
			tabs(b, depth + 2);
			gb_out_printf(b, "\"netns_%u\" [label=\"netns %u\", shape=ellipse, "
				      "color=blue];\n", netns, netns);
		}
		for (size_t j = 0; j < t->nprocs; j++)
			if (t->procs[j].group == (int)g)
				dot_proc_node(t, b, j, depth + 2);
		tabs(b, depth + 1);
		gb_out_str(b, "}\n");
	}
	for (size_t i = 0; i < t->nns; i++)
		if (t->ns[i].parent == ns->ino && i != n)
			dot_pidns(t, b, i, depth + 1, placed, nplaced);
	tabs(b, depth);
	gb_out_str(b, "}\n");
}

static int write_dot(struct tree_sink *t)
{
	uint32_t *placed = calloc(2 * t->nmoves + 1, sizeof(*placed));
	size_t nplaced = 0;
	struct gb_outbuf b;
	char sb[16];
	int err;

	if (!placed || gb_outbuf_init(&b, t->dot_fd, 64 << 10)) {
		free(placed);
		return -ENOMEM;
	}
	gb_out_str(&b, "digraph glassbox {\n"
		       "\tnode [shape=box, fontname=\"monospace\", fontsize=10];\n"
		       "\tedge [fontname=\"monospace\", fontsize=9];\n");
	gb_out_printf(&b, "\tlabel=\"glassbox run on ");
	dot_str(&b, t->info.hostname, sizeof(t->info.hostname));
	gb_out_str(&b, ", kernel ");
	dot_str(&b, t->info.kernel_release, sizeof(t->info.kernel_release));
	gb_out_str(&b, "\\nPIDs as level:pid, level 0 = host\";\n");
	for (size_t i = 0; i < t->nns; i++)
		if (!t->ns[i].parent || !pidns_known(t, t->ns[i].parent))
			dot_pidns(t, &b, i, 1, placed, &nplaced);
	/* processes seen only as signal targets, and network namespaces with no process */
	for (size_t i = 0; i < t->nprocs; i++)
		if (!t->procs[i].traced)
			dot_proc_node(t, &b, i, 1);
	for (size_t i = 0; i < t->nmoves; i++) {
		const uint32_t ends[2] = { t->moves[i].old_netns, t->moves[i].new_netns };

		for (int e = 0; e < 2; e++) {
			bool have = false;

			for (size_t j = 0; j < nplaced && !have; j++)
				have = placed[j] == ends[e];
			if (have)
				continue;
			placed[nplaced++] = ends[e];
			gb_out_printf(&b, "\t\"netns_%u\" [label=\"netns %u\", shape=ellipse, "
				      "color=blue];\n", ends[e], ends[e]);
		}
	}
	for (size_t i = 0; i < t->nprocs; i++)
		if (t->procs[i].parent >= 0)
			gb_out_printf(&b, "\t\"p%d\" -> \"p%zu\" [label=\"clone\"];\n",
				      t->procs[i].parent, i);
	for (size_t i = 0; i < t->nsigs; i++) {
		const struct sig_edge *s = &t->sigs[i];
		const char *name = gb_signal_name(s->sig, sb, sizeof(sb));

		gb_out_printf(&b, "\t\"p%d\" -> \"p%d\" [label=\"", s->from, s->to);
		if (name)
			gb_out_str(&b, name);
		else
			gb_out_printf(&b, "signal %d", s->sig);
		if (s->count > 1)
			gb_out_printf(&b, " x%llu", (unsigned long long)s->count);
		gb_out_str(&b, "\", style=dashed, color=red, fontcolor=red, constraint=false];\n");
	}
	for (size_t i = 0; i < t->nmoves; i++) {
		const struct move *m = &t->moves[i];

		gb_out_printf(&b, "\t\"netns_%u\" -> \"netns_%u\" [label=\"", m->old_netns,
			      m->new_netns);
		dot_str(&b, m->old_name, GB_IFNAME_LEN);
		gb_out_str(&b, " -> ");
		dot_str(&b, m->new_name, GB_IFNAME_LEN);
		if (m->ret < 0)
			gb_out_printf(&b, " (failed %s)", gb_errno_name(m->ret));
		gb_out_str(&b, "\", style=bold, color=blue, fontcolor=blue];\n");
	}
	gb_out_str(&b, "}\n");
	err = gb_outbuf_flush(&b);
	gb_outbuf_free(&b);
	free(placed);
	return err;
}

static int tree_end(struct gb_sink *s, const struct gb_summary *sum)
{
	struct tree_sink *t = (struct tree_sink *)s;
	int err = 0, e;

	if (build_groups(t))
		t->oom = 1;

	if (t->text_fd >= 0 && (e = write_text(t))) {
		gb_err("writing the process tree failed: %s", strerror(-e));
		err = e;
	}
	if (t->dot_fd >= 0) {
		e = write_dot(t);
		if (close(t->dot_fd) < 0 && !e)
			e = -errno;
		t->dot_fd = -1;
		if (e) {
			gb_err("writing --dot %s failed: %s", t->dot_path, strerror(-e));
			err = err ?: e;
		}
	}
	return err;
}

static void tree_destroy(struct gb_sink *s)
{
	struct tree_sink *t = (struct tree_sink *)s;

	for (size_t i = 0; i < t->nprocs; i++)
		free(t->procs[i].exec);
	free(t->procs);
	free(t->ns);
	free(t->sigs);
	free(t->moves);
	free(t->g_pidns);
	free(t->g_netns);
	hmap_free(&t->by_pid);
	hmap_free(&t->by_edge);
	if (t->dot_fd >= 0)
		close(t->dot_fd);
	free(t->dot_path);
	free(t);
}

static const struct gb_sink_ops tree_ops = {
	.begin = tree_begin,
	.event = tree_event,
	.end = tree_end,
	.destroy = tree_destroy,
};

struct gb_sink *gb_tree_sink_new(int text_fd, const char *dot_path)
{
	struct tree_sink *t = calloc(1, sizeof(*t));
	int err;

	if (!t)
		return NULL;
	t->sink.ops = &tree_ops;
	t->text_fd = text_fd;
	t->dot_fd = -1;
	if (dot_path) {
		t->dot_path = strdup(dot_path);
		t->dot_fd = open(dot_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (!t->dot_path || t->dot_fd < 0) {
			err = t->dot_path ? errno : ENOMEM;
			tree_destroy(&t->sink);
			errno = err;
			return NULL;
		}
	}
	return &t->sink;
}
