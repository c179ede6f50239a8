/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef GB_CMD_TRACE_H
#define GB_CMD_TRACE_H

#include "options.h"

/* glassbox trace: returns the process exit code */
int gb_cmd_trace(struct gb_opts *o);

#endif
