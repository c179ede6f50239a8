/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * cmocka setup/teardown that send stderr to /dev/null for one test: the parsers print
 * one line for each bad input, and tests of bad input would fill the log with them.
 */
#ifndef GB_TEST_QUIET_STDERR_H
#define GB_TEST_QUIET_STDERR_H

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static int quiet_stderr(void **state)
{
	int *saved = malloc(sizeof(int));
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	*saved = dup(STDERR_FILENO);
	dup2(null, STDERR_FILENO);
	close(null);
	*state = saved;
	return 0;
}

static int restore_stderr(void **state)
{
	int *saved = *state;

	dup2(*saved, STDERR_FILENO);
	close(*saved);
	free(saved);
	return 0;
}

#endif
