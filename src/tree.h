/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The process and namespace tree of a run, built from its clone, exec, exit, signal and
 * netdev_move records, and printed when the run (or the replay) ends: as text (--tree)
 * and as Graphviz (--dot FILE).
 *
 * Text: one block per PID namespace (nested by parent), in it one block per network
 * namespace, in it the processes as a tree of clones. Each process shows its PID at
 * every level it has ("0:7353 1:2 2:1", level 0 = host; "?" for a level no record
 * names), its comm, what it exec'ed, its thread count and how it ended.
 * DOT: PID namespaces as nested clusters, network namespaces as clusters in them,
 * clone edges (solid), signal edges (dashed, red, with a count), device moves between
 * network namespaces (bold, blue, between one node per network namespace).
 */
#ifndef GB_TREE_H
#define GB_TREE_H

#include "sink.h"

/* text_fd < 0: no text tree; dot_path NULL: no DOT file (created now, written at end).
 * NULL with errno set on failure. */
struct gb_sink *gb_tree_sink_new(int text_fd, const char *dot_path);

/* Event kinds the tree is built from: the kernel must send these when a tree is asked. */
#define GB_TREE_KINDS                                                                   \
	((1u << GB_EV_CLONE) | (1u << GB_EV_EXEC) | (1u << GB_EV_EXIT) |                 \
	 (1u << GB_EV_SIGNAL_GENERATE) | (1u << GB_EV_NETDEV_MOVE))

#endif
