/* log.h: roosterd's tiny logging API (levels; stderr or syslog).
 *
 * Messages never carry personal fields: log ids of jobs and tenants, counts
 * and codes, never a learner's attributes. Thread-safe. */
#ifndef LOG_H
#define LOG_H

enum log_level { LOG_LVL_DEBUG = 0, LOG_LVL_INFO = 1, LOG_LVL_WARN = 2, LOG_LVL_ERR = 3 };

/* target: "stderr" or "syslog"; level threshold. Callable again on reload. */
void log_setup(const char *target, int level);
int log_parse_level(const char *s); /* "debug".."error", -1 if unknown */
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_err(...) log_msg(LOG_LVL_ERR, __VA_ARGS__)
/* Log and exit(1). */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
