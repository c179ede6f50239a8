/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef GB_RUN_H
#define GB_RUN_H

#include "options.h"
#include "sink.h"

/* glassbox run: returns the process exit code */
int gb_cmd_run(struct gb_opts *o);

/* Shared by run and trace: the printers (and later sinks) the options ask for. Returns
 * the chain or NULL after one line on stderr; *fd_out is the opened --output fd or -1. */
struct gb_sink *gb_sinks_from_opts(struct gb_opts *o, int *fd_out);
void gb_run_info_fill(struct gb_run_info *info, uint32_t root_pidns, uint32_t root_level);

#endif
