/* sdnotify.h: systemd's notify protocol without libsystemd.
 *
 * sd_notify_send("READY=1") sends one datagram to $NOTIFY_SOCKET (path or
 * abstract "@name"); a no-op returning 0 when the variable is unset.
 * sd_listen_fds() returns how many sockets systemd passed (from fd 3) when
 * $LISTEN_PID is ours, else 0. */
#ifndef SDNOTIFY_H
#define SDNOTIFY_H

int sd_notify_send(const char *state);
int sd_listen_fds(void);
/* Watchdog interval in microseconds from $WATCHDOG_USEC (for our pid), 0 if none. */
unsigned long long sd_watchdog_usec(void);

#endif
