// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * glassbox run, as a checklist: check privileges and COMMAND, probe the kernel, load
 * and attach the BPF programs, create the sandbox (its init waits), open the output,
 * put the sandbox's namespaces into the filter, release COMMAND, stream events until
 * the sandbox's init is gone, print the summary, exit with COMMAND's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "decode.h"
#include "loop.h"
#include "netdev_guard.h"
#include "observe.h"
#include "privs.h"
#include "probe.h"
#include "record.h"
#include "tree.h"
#include "run.h"
#include "spawn.h"
#include "util.h"

_Static_assert(GB_OPT_NETDEV_MAX <= GB_NETDEV_MAX, "--netdev limit above the guard's");

/*
 * The chain, in order: the record file (every record the kernel sent), the filters in
 * front of the printer, the tree (every record; it writes after the printer's last
 * flush because it comes after it).
 */
struct gb_sink *gb_sinks_from_opts(struct gb_opts *o, int *fd_out)
{
	struct gb_sink *printer = NULL, *filter = NULL, *rec = NULL, *tree = NULL;
	int fd = STDOUT_FILENO;

	*fd_out = -1;
	if (o->output) {
		fd = open(o->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			gb_err("cannot open --output %s: %s", o->output, strerror(errno));
			return NULL;
		}
		*fd_out = fd;
	}
	if (o->color_mode < 0)
		o->fmt.color = !o->json && isatty(fd) && !getenv("NO_COLOR");
	else
		o->fmt.color = o->color_mode;
	printer = o->json ? gb_json_sink_new(fd, &o->fmt) : gb_table_sink_new(fd, &o->fmt);
	if (!printer)
		goto oom;
	o->filter.kind_mask = o->kind_mask;
	filter = gb_filter_sink_new(&o->filter, printer);
	if (!filter)
		goto oom;
	printer = NULL; /* the filter owns it */
	if (o->record) {
		rec = gb_record_sink_new(o->record);
		if (!rec) {
			gb_err("cannot create --record %s: %s", o->record, strerror(errno));
			goto fail;
		}
	}
	if (o->tree || o->dot) {
		/* the tree is text: with JSON on stdout it goes to stderr */
		tree = gb_tree_sink_new(!o->tree ? -1 : o->json ? STDERR_FILENO : fd, o->dot);
		if (!tree) {
			gb_err("cannot create --dot %s: %s", o->dot ? o->dot : "", strerror(errno));
			goto fail;
		}
	}
	filter->next = tree;
	if (!rec)
		return filter;
	rec->next = filter;
	return rec;
oom:
	gb_err("out of memory");
fail:
	gb_sinks_destroy(printer);
	gb_sinks_destroy(filter);
	gb_sinks_destroy(tree);
	gb_sinks_destroy(rec);
	if (*fd_out >= 0)
		close(*fd_out), *fd_out = -1;
	return NULL;
}

void gb_run_info_fill(struct gb_run_info *info, uint32_t root_pidns, uint32_t root_level)
{
	struct utsname u;

	memset(info, 0, sizeof(*info));
	info->start_mono_ns = gb_now_ns(CLOCK_MONOTONIC);
	info->start_real_ns = gb_now_ns(CLOCK_REALTIME);
	if (!uname(&u)) {
		snprintf(info->kernel_release, sizeof(info->kernel_release), "%s", u.release);
		snprintf(info->hostname, sizeof(info->hostname), "%s", u.nodename);
	}
	info->root_pidns = root_pidns;
	info->root_level = root_level;
}

/*
 * A request to stop (SIGINT, SIGTERM, SIGHUP, SIGQUIT to glassbox) goes to COMMAND
 * first; if the sandbox is still there stop_timeout later, or a second request comes,
 * its init gets SIGKILL, which takes the whole PID namespace with it.
 */
struct stop_state {
	uint64_t deadline_ns; /* 0: no stop requested */
	uint64_t timeout_ns;
	int killed;
	int sig;
};

static int is_stop_signal(int sig)
{
	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT;
}

static void stop_kill(struct gb_sandbox *sb, struct stop_state *st, const char *why)
{
	if (st->killed || sb->pid <= 0)
		return;
	st->killed = 1;
	gb_err("%s: killing the sandbox", why);
	syscall(SYS_pidfd_send_signal, sb->pidfd, SIGKILL, NULL, 0);
}

static void on_signal(struct gb_sandbox *sb, struct stop_state *st,
		      const struct signalfd_siginfo *si)
{
	if (si->ssi_signo == SIGCHLD)
		return;
	if (is_stop_signal(si->ssi_signo)) {
		if (st->deadline_ns) {
			stop_kill(sb, st, "asked to stop twice");
			return;
		}
		st->sig = si->ssi_signo;
		st->deadline_ns = gb_now_ns(CLOCK_MONOTONIC) + st->timeout_ns;
	}
	/* Ctrl-C on a terminal reached the whole process group, COMMAND too; what was
	 * sent to glassbox alone goes on to the sandbox's init, which hands it to COMMAND */
	if (si->ssi_code != SI_KERNEL && sb->pid > 0)
		kill(sb->pid, si->ssi_signo);
}

struct run_loop {
	struct gb_sandbox *sb;
	struct stop_state st;
};

static int run_signal(void *arg, const struct signalfd_siginfo *si)
{
	struct run_loop *rl = arg;

	on_signal(rl->sb, &rl->st, si);
	return 0;
}

/* the sandbox's init has exited: reap it, the run is over */
static int run_watch(void *arg)
{
	gb_sandbox_reap(((struct run_loop *)arg)->sb);
	return 1;
}

static int run_tick(void *arg)
{
	struct run_loop *rl = arg;
	struct stop_state *st = &rl->st;

	if (st->deadline_ns && gb_now_ns(CLOCK_MONOTONIC) >= st->deadline_ns) {
		char why[96], buf[16];
		const char *name = gb_signal_name(st->sig, buf, sizeof(buf));

		snprintf(why, sizeof(why), "the sandbox outlived %s by %.1f s",
			 name ? name : "the stop signal", st->timeout_ns / 1e9);
		stop_kill(rl->sb, st, why);
	}
	return 0;
}

/* Stream events until the sandbox's init has exited; returns its wait status. */
static int event_loop(struct gb_observer *ob, struct gb_sandbox *sb, int sigfd,
		      uint64_t stop_timeout_ns)
{
	static const struct gb_loop_ops ops = {
		.signal = run_signal,
		.watch = run_watch,
		.tick = run_tick,
	};
	struct run_loop rl = { .sb = sb, .st = { .timeout_ns = stop_timeout_ns } };

	if (gb_event_loop(ob, sigfd, sb->pidfd, &ops, &rl)) {
		gb_sandbox_kill(sb);
		return -1;
	}
	return sb->status;
}

int gb_cmd_run(struct gb_opts *o)
{
	struct gb_observe_opts oo = {
		.kind_mask = gb_kernel_kind_mask(o),
		.ring_size = o->ring_size,
		/* network namespaces made inside are recorded (not filtered on), so that a
		 * setns into one from outside is seen, like a setns into the sandbox's own */
		.follow_netns = !!(gb_kernel_kind_mask(o) & 1u << GB_EV_SETNS),
	};
	struct gb_spawn_opts so = {
		.argv = o->argv,
		.as_pid1 = o->as_pid1,
		.new_netns = gb_net_clone_flags(&o->net) != 0,
		.harden = &o->harden,
	};
	struct gb_netdev_guard guard = { 0, -1 };
	struct gb_observer *ob = NULL;
	struct gb_sink *sinks = NULL;
	struct gb_sandbox sb;
	struct gb_run_info info;
	struct gb_net_state net;
	char path[4096], msg[512];
	int err, sigfd = -1, out_fd = -1, status, code = GB_EXIT_FAILURE;

	gb_verbose = o->verbose;
	gb_net_state_init(&net);
	if (gb_check_privileges("run"))
		return GB_EXIT_NOPERM;
	err = gb_resolve_command(o->argv[0], path, sizeof(path));
	if (err) {
		gb_err("%s: %s", o->argv[0], err == -ENOENT ? "command not found" : strerror(-err));
		return err == -ENOENT ? GB_EXIT_NOT_FOUND : GB_EXIT_CANNOT_EXEC;
	}
	so.path = path;
	/* the sandbox's PID namespace is a child of glassbox's own */
	if (!gb_pid_ns_level(getpid(), &oo.min_level))
		oo.min_level++;
	else
		oo.min_level = 0;
	/* host checks (subnet, ports, join target) before anything is loaded or created */
	if (gb_net_prepare(&o->net, &net)) {
		gb_net_teardown(&net);
		return GB_EXIT_FAILURE;
	}

	code = gb_observer_start(&ob, &oo);
	if (code)
		goto out;
	code = GB_EXIT_FAILURE;

	sigfd = gb_signals_open(&so.ignored);
	if (sigfd < 0)
		goto out;
	if (gb_net_clone_enter(&net))
		goto out;
	err = gb_sandbox_create(&sb, &so);
	gb_net_clone_leave(&net);
	if (err)
		goto out;
	/* the child waits: its network before anything else can start in it */
	if (gb_net_host_setup(&o->net, sb.pid, &net))
		goto kill;
	sinks = gb_sinks_from_opts(o, &out_fd);
	if (!sinks)
		goto kill;
	gb_observer_set_sinks(ob, sinks);
	if (gb_observer_add_pidns(ob, sb.pidns, sb.level) ||
	    (so.new_netns && gb_observer_add_netns(ob, sb.netns, sb.level, sb.pidns)))
		goto kill;
	if (o->net.mode != GB_NET_SHARE &&
	    gb_observer_watch_netns(ob, sb.pid, sb.netns, sb.level))
		goto kill;
	gb_run_info_fill(&info, sb.pidns, sb.level);
	if (gb_sinks_begin(sinks, &info)) {
		gb_err("writing the output failed");
		goto kill;
	}
	/* after the filter knows the sandbox's namespace, so the moves are traced too */
	if (o->n_netdevs &&
	    gb_netdev_guard_start(&guard, sb.pid, o->netdevs, o->n_netdevs, msg, sizeof(msg))) {
		gb_err("%s", msg);
		goto kill;
	}
	if (gb_sandbox_release(&sb))
		goto kill;

	status = event_loop(ob, &sb, sigfd, o->stop_timeout_ms * 1000000ull);
	code = status < 0 ? GB_EXIT_FAILURE : gb_exit_code_of(status);
	/* the sandbox is gone; the guard's reference keeps its network namespace and the
	 * lent devices until they are back */
	if (gb_netdev_guard_stop(&guard) && code == 0)
		code = GB_EXIT_FAILURE;
	/* COMMAND's status stands over an output that could not be finished */
	gb_observer_conclude(ob, sinks);
	gb_sandbox_close(&sb);
	goto out;
kill:
	gb_sandbox_kill(&sb);
	gb_netdev_guard_stop(&guard);
out:
	gb_net_teardown(&net);
	gb_observer_close(ob);
	gb_sinks_destroy(sinks);
	if (out_fd >= 0)
		close(out_fd);
	if (sigfd >= 0)
		close(sigfd);
	return code;
}
