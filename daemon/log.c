/* log.c: levelled logging to stderr (with timestamps) or syslog. */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

static int g_level = LOG_LVL_INFO;
static int g_syslog;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

void log_setup(const char *target, int level)
{
	pthread_mutex_lock(&g_lock);
	g_level = level;
	int want = target && strcmp(target, "syslog") == 0;
	if (want && !g_syslog)
		openlog("roosterd", LOG_PID, LOG_DAEMON);
	else if (!want && g_syslog)
		closelog();
	g_syslog = want;
	pthread_mutex_unlock(&g_lock);
}

int log_parse_level(const char *s)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static void vlog(int level, const char *fmt, va_list ap)
{
	static const char *const tag[] = {"debug", "info", "warn", "error"};
	static const int prio[] = {LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR};
	if (level < g_level)
		return;
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	pthread_mutex_lock(&g_lock);
	if (g_syslog) {
		syslog(prio[level], "%s", msg);
	} else {
		struct timespec ts;
		struct tm tm;
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		fprintf(stderr, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ roosterd[%s] %s\n",
			tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			tm.tm_sec, ts.tv_nsec / 1000000, tag[level], msg);
	}
	pthread_mutex_unlock(&g_lock);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
