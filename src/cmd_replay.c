// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * glassbox replay FILE: the record file through the same sink chain a live run builds,
 * so the same options print the same bytes; then the run's summary line from the
 * file's trailer. A damaged file is replayed up to the damage.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "observe.h"
#include "record.h"
#include "run.h"
#include "util.h"

int gb_cmd_replay(struct gb_opts *o)
{
	struct gb_rec_status st;
	struct gb_sink *sinks;
	int fd, out_fd, err, code = GB_EXIT_OK;
	const char *name = o->replay_file;

	gb_verbose = o->verbose;
	if (!strcmp(name, "-")) {
		fd = STDIN_FILENO;
		name = "stdin";
	} else {
		fd = open(name, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			gb_err("replay: cannot open %s: %s", name, strerror(errno));
			return GB_EXIT_FAILURE;
		}
	}
	signal(SIGPIPE, SIG_IGN); /* a closed output is an error to report */
	sinks = gb_sinks_from_opts(o, &out_fd);
	if (!sinks) {
		if (fd != STDIN_FILENO)
			close(fd);
		return GB_EXIT_FAILURE;
	}
	err = gb_record_replay(fd, sinks, &st);
	if (st.have_header && gb_verbose) {
		time_t start = (time_t)(st.info.start_real_ns / 1000000000ull);
		char when[64];
		struct tm tm;

		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", localtime_r(&start, &tm));
		gb_err("replay: %s: recorded on %s, kernel %s, started %s%s", name,
		       st.info.hostname, st.info.kernel_release, when,
		       st.complete ? "" : " (no trailer)");
		if (st.complete && st.end_mono_ns >= st.info.start_mono_ns)
			gb_err("replay: %s: the run took %.3f s, %llu frames", name,
			       (double)(st.end_mono_ns - st.info.start_mono_ns) / 1e9,
			       (unsigned long long)st.frames);
	}
	if (st.have_header && (err == 0 || err == -EBADMSG || err == -EIO))
		gb_summary_print(&st.sum);
	if (st.skipped)
		gb_err("replay: %s: %llu records of event kinds this glassbox does not know were "
		       "skipped", name, (unsigned long long)st.skipped);
	if (err == -EBADMSG || err == -EIO) {
		gb_err("replay: %s: stopped at byte %llu: %s; %llu events replayed", name,
		       (unsigned long long)st.stop_offset, st.why, (unsigned long long)st.records);
		code = GB_EXIT_FAILURE;
	} else if (err) {
		/* a reader that went away (replay | head) needs no message */
		if (err != -EPIPE)
			gb_err("replay: writing the output failed: %s", strerror(-err));
		code = GB_EXIT_FAILURE;
	}
	gb_sinks_destroy(sinks);
	if (out_fd >= 0)
		close(out_fd);
	if (fd != STDIN_FILENO)
		close(fd);
	return code;
}
