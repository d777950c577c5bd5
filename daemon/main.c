/* main.c: roosterd's entry point: arguments, config, signals, sd_notify, the loop. */
#include "srv.h"

#include "log.h"
#include "rs_error.h"
#include "sdnotify.h"
#include "xalloc.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: roosterd [-f] [-n] [-c FILE] [--socket PATH] [--state-dir DIR]\n"
		"                [--tcp HOST:PORT] [--set NAME=VALUE]...\n"
		"\n"
		"The roosterd planning daemon: timetable requests over msgpack-rpc.\n"
		"\n"
		"  -c, --config FILE   read options from FILE (name = value lines)\n"
		"  -n, --check         check the configuration and exit (0 = valid)\n"
		"  -f, --foreground    stay in the foreground (systemd and tests use this)\n"
		"      --socket PATH   Unix socket (option 'socket')\n"
		"      --state-dir DIR job store directory (option 'state_dir')\n"
		"      --tcp HOST:PORT also listen on TCP (option 'tcp_listen')\n"
		"      --set NAME=VALUE  set any option below\n"
		"  -h, --help          this text\n"
		"  -V, --version       print the version\n"
		"\nSignals: SIGTERM stops accepting, lets running solves finish within\n"
		"shutdown_grace seconds (then they run again after restart), exits 0.\n"
		"SIGHUP reloads the configuration file (limits, tokens, logging) and the token file.\n\n");
	config_help(out);
}

static void apply_limits(srv *s)
{
	wire_limits_default(&s->wlim);
	s->wlim.max_message = (size_t)s->cfg.max_message;
	s->wlim.max_depth = (unsigned)s->cfg.max_depth;
	s->wlim.max_container = (uint32_t)s->cfg.max_container;
	s->wlim.max_str = (uint32_t)s->cfg.max_string;
	tt_limits_default(&s->tlim);
	s->tlim.max_learners = (uint32_t)s->cfg.max_learners;
	__atomic_store_n(&s->solver_memory_mb, (long)s->cfg.solver_memory_mb, __ATOMIC_RELAXED);
	log_setup(s->cfg.log_target, log_parse_level(s->cfg.log_level));
}

static void begin_stop(srv *s)
{
	if (s->stopping)
		return;
	pthread_mutex_lock(&s->jlock);
	s->stopping = true;
	pthread_mutex_unlock(&s->jlock);
	s->stop_began = srv_mono();
	sd_notify_send("STOPPING=1");
	log_info("stopping: no new connections; waiting up to %.0f s for running solves",
		 s->cfg.shutdown_grace);
	srv_close_listeners(s);
	pthread_mutex_lock(&s->jlock);
	pthread_cond_broadcast(&s->jcond); /* idle workers stop taking jobs */
	pthread_mutex_unlock(&s->jlock);
}

/* The options given on the command line (--set and its short forms), in
 * order: a reload applies them over the file again, as the start did. */
static struct {
	char *name, *value;
} *cli_opts;
static int n_cli_opts;

static void remember_option(const char *name, const char *value)
{
	cli_opts = xrealloc(cli_opts, sizeof *cli_opts * (size_t)(n_cli_opts + 1));
	cli_opts[n_cli_opts].name = xstrdup(name);
	cli_opts[n_cli_opts++].value = xstrdup(value);
}

/* Rules across options, checked at start and on every reload: a default
 * time limit the configuration did not set follows a lower max_time_limit
 * down; one it set above the maximum is an error. */
static int config_consistent(config *c, char *err, size_t errlen)
{
	if (c->default_time_limit > c->max_time_limit && !c->default_time_limit_set)
		c->default_time_limit = c->max_time_limit;
	if (c->default_time_limit > c->max_time_limit) {
		snprintf(err, errlen, "default_time_limit %.0f exceeds max_time_limit %.0f",
			 c->default_time_limit, c->max_time_limit);
		return -1;
	}
	return 0;
}

static void on_signal(uv_signal_t *h, int signum)
{
	srv *s = h->data;
	if (signum == SIGHUP) {
		/* without a file, the command line's options are applied again:
		 * the token file is read again */
		config fresh;
		config_init(&fresh);
		char err[512];
		int rc = s->config_path ? config_load(&fresh, s->config_path, err, sizeof err) : 0;
		for (int k = 0; !rc && k < n_cli_opts; k++)
			rc = config_set(&fresh, cli_opts[k].name, cli_opts[k].value, err, sizeof err);
		if (rc || config_load_tokens(&fresh, err, sizeof err) ||
		    config_consistent(&fresh, err, sizeof err)) {
			log_err("SIGHUP: keeping the old configuration: %s", err);
			config_free(&fresh);
			return;
		}
		/* sockets and the state directory stay as they are until restart */
		free(fresh.socket), fresh.socket = s->cfg.socket, s->cfg.socket = NULL;
		free(fresh.state_dir), fresh.state_dir = s->cfg.state_dir, s->cfg.state_dir = NULL;
		free(fresh.tcp_listen), fresh.tcp_listen = s->cfg.tcp_listen, s->cfg.tcp_listen = NULL;
		fresh.solver_threads = s->cfg.solver_threads;
		config_free(&s->cfg);
		s->cfg = fresh;
		apply_limits(s);
		log_info("SIGHUP: configuration reloaded (%d tokens)", s->cfg.n_tokens);
		return;
	}
	begin_stop(s);
}

static void purge_work(uv_work_t *w)
{
	srv *s = w->data;
	int jobs = 0, plans = 0;
	double cutoff = store_now() - (double)s->cfg.retention_days * 86400.0;
	if (store_purge(s->st, cutoff, &jobs, &plans) == 0 && (jobs || plans))
		log_info("retention: purged %d jobs and %d plans older than %ld days", jobs, plans,
			 s->cfg.retention_days);
}

static void purge_done(uv_work_t *w, int status)
{
	(void)status;
	free(w);
}

static void on_tick(uv_timer_t *t)
{
	srv *s = t->data;
	double now = srv_mono();
	jobs_tick(s);
	srv_expire(s, now);
	if (s->watchdog_usec && now - s->last_watchdog > s->watchdog_usec / 2e6) {
		sd_notify_send("WATCHDOG=1");
		s->last_watchdog = now;
	}
	if (!s->stopping && s->cfg.retention_days > 0 && now - s->last_purge > 3600) {
		s->last_purge = now;
		uv_work_t *w = xcalloc(1, sizeof *w);
		w->data = s;
		uv_queue_work(s->loop, w, purge_work, purge_done);
	}
	if (!s->stopping)
		return;
	pthread_mutex_lock(&s->jlock);
	int running = s->n_running;
	if (running && now - s->stop_began > s->cfg.shutdown_grace)
		for (job *j = s->jobs; j; j = j->next_all)
			if (j->state == JOB_RUNNING && j->cancel != CANCEL_SHUTDOWN)
				j->cancel = CANCEL_SHUTDOWN;
	pthread_mutex_unlock(&s->jlock);
	if (running)
		return;
	if (!s->drain_began) {
		jobs_on_async(&s->async); /* deliver what finished last */
		jobs_shutdown_waiters(s);
		srv_close_all(s); /* each connection closes once its answers went out */
		s->drain_began = now;
		return;
	}
	if (s->conns && now - s->drain_began < 5.0)
		return;
	while (s->conns) /* clients that do not read their answers: close anyway */
		srv_conn_close(s->conns);
	uv_close((uv_handle_t *)&s->tick, NULL);
	uv_close((uv_handle_t *)&s->async, NULL);
	uv_close((uv_handle_t *)&s->sig_term, NULL);
	uv_close((uv_handle_t *)&s->sig_int, NULL);
	uv_close((uv_handle_t *)&s->sig_hup, NULL);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--solve-child") == 0)
		return child_main();

	static srv S;
	srv *s = &S;
	config_init(&s->cfg);
	bool check_only = false, foreground = false;
	enum { OPT_SOCKET = 256, OPT_STATE, OPT_TCP, OPT_SET };
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'}, {"check", no_argument, NULL, 'n'},
		{"foreground", no_argument, NULL, 'f'},   {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},      {"socket", required_argument, NULL, OPT_SOCKET},
		{"state-dir", required_argument, NULL, OPT_STATE},
		{"tcp", required_argument, NULL, OPT_TCP}, {"set", required_argument, NULL, OPT_SET},
		{NULL, 0, NULL, 0},
	};
	/* the config file first, so command-line options override it */
	for (int i = 1; i < argc - 1; i++)
		if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config"))
			s->config_path = argv[i + 1];
	char err[512];
	if (s->config_path && config_load(&s->cfg, s->config_path, err, sizeof err)) {
		fprintf(stderr, "roosterd: %s\n", err);
		return 1;
	}
	int ch;
	while ((ch = getopt_long(argc, argv, "c:nfhV", longopts, NULL)) != -1) {
		const char *name = NULL, *val = optarg;
		char buf[512];
		switch (ch) {
		case 'c':
			break;
		case 'n':
			check_only = true;
			break;
		case 'f':
			foreground = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("roosterd %s (protocol %d)\n", ROOSTERD_VERSION, PROTOCOL_VERSION);
			return 0;
		case OPT_SOCKET:
			name = "socket";
			break;
		case OPT_STATE:
			name = "state_dir";
			break;
		case OPT_TCP:
			name = "tcp_listen";
			break;
		case OPT_SET: {
			const char *eq = strchr(optarg, '=');
			if (!eq) {
				fprintf(stderr, "roosterd: --set expects NAME=VALUE\n");
				return 2;
			}
			snprintf(buf, sizeof buf, "%.*s", (int)(eq - optarg), optarg);
			name = buf;
			val = eq + 1;
			break;
		}
		default:
			usage(stderr);
			return 2;
		}
		if (name && config_set(&s->cfg, name, val, err, sizeof err)) {
			fprintf(stderr, "roosterd: %s\n", err);
			return 2;
		}
		if (name)
			remember_option(name, val);
	}
	if (config_load_tokens(&s->cfg, err, sizeof err)) {
		fprintf(stderr, "roosterd: %s\n", err);
		return 1;
	}
	if (config_consistent(&s->cfg, err, sizeof err)) {
		fprintf(stderr, "roosterd: %s\n", err);
		return 1;
	}
	if (check_only) {
		printf("roosterd: configuration OK\n");
		return 0;
	}
	apply_limits(s);
	signal(SIGPIPE, SIG_IGN);
	if (!foreground && !getenv("NOTIFY_SOCKET") && daemon(0, 0) != 0)
		fatal("cannot detach: use -f");

	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		fatal("cannot find my own executable");
	exe[n] = '\0';
	s->self_exe = xstrdup(exe);

	if (store_open(s->cfg.state_dir, &s->st, err, sizeof err))
		fatal("%s", err);
	s->loop = uv_default_loop();
	pthread_mutex_init(&s->jlock, NULL);
	pthread_mutex_init(&s->elock, NULL);
	pthread_cond_init(&s->jcond, NULL);
	pthread_mutex_init(&s->evlock, NULL);
	uv_async_init(s->loop, &s->async, jobs_on_async);
	s->async.data = s;
	if (srv_listen(s))
		fatal("cannot listen; exiting");
	jobs_recover(s);
	if (jobs_start(s))
		fatal("cannot start solver threads");

	uv_signal_init(s->loop, &s->sig_term);
	uv_signal_init(s->loop, &s->sig_int);
	uv_signal_init(s->loop, &s->sig_hup);
	s->sig_term.data = s->sig_int.data = s->sig_hup.data = s;
	uv_signal_start(&s->sig_term, on_signal, SIGTERM);
	uv_signal_start(&s->sig_int, on_signal, SIGINT);
	uv_signal_start(&s->sig_hup, on_signal, SIGHUP);
	uv_timer_init(s->loop, &s->tick);
	s->tick.data = s;
	uv_timer_start(&s->tick, on_tick, 250, 250);
	s->watchdog_usec = sd_watchdog_usec();
	s->last_purge = -1e9;

	sd_notify_send("READY=1");
	log_info("roosterd %s ready (store schema %d)", ROOSTERD_VERSION,
		 store_schema_version(s->st));
	uv_run(s->loop, UV_RUN_DEFAULT);

	jobs_stop(s);
	uv_loop_close(s->loop);
	store_close(s->st);
	log_info("stopped");
	free(s->self_exe);
	config_free(&s->cfg);
	return 0;
}
