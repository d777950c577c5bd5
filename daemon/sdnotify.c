/* sdnotify.c: sd_notify, socket activation and watchdog over plain sockets. */
#include "sdnotify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int sd_notify_send(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	if (!path || !*path)
		return 0;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t n = strlen(path);
	if (n >= sizeof sa.sun_path || (path[0] != '/' && path[0] != '@'))
		return -EINVAL;
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	ssize_t w = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, len);
	int rc = w < 0 ? -errno : 0;
	close(fd);
	return rc;
}

static int ours(const char *var)
{
	const char *p = getenv(var);
	return p && strtol(p, NULL, 10) == (long)getpid();
}

int sd_listen_fds(void)
{
	if (!ours("LISTEN_PID"))
		return 0;
	const char *n = getenv("LISTEN_FDS");
	int k = n ? atoi(n) : 0;
	return k > 0 && k < 64 ? k : 0;
}

unsigned long long sd_watchdog_usec(void)
{
	const char *p = getenv("WATCHDOG_USEC");
	if (!p)
		return 0;
	if (getenv("WATCHDOG_PID") && !ours("WATCHDOG_PID"))
		return 0;
	return strtoull(p, NULL, 10);
}
