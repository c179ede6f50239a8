/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef GB_PRIVS_H
#define GB_PRIVS_H

/* Does the process have what loading tracing programs and creating namespaces takes
 * (CAP_SYS_ADMIN, CAP_BPF, CAP_PERFMON in the effective set)? Returns 0, or
 * -EPERM after one line on stderr naming what is missing. */
int gb_check_privileges(const char *cmd);

#endif
