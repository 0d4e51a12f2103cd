/* hotast_rt.c - the runtime's front: private directory, socket listener,
 * constructor and the public API of include/hotast/rt.h.
 *
 * The listener thread runs with every signal blocked, so no handler of the
 * host ever runs on it while it holds a lock or is inside malloc; it serves
 * one connection at a time, reads at most HOTAST_RT_REQUEST_MAX bytes within
 * 2 s, answers peers of another uid with a refusal, and never exits or
 * aborts the host (tests "socket" and "uid" in runtime/tests/run.sh). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "hotast/rt.h"
#include "rt_internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

char rt_dir[PATH_MAX];
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static pid_t listen_pid;
static int listen_fd = -1;

int rt_fail(struct rt_err *e, const char *fmt, ...) {
  if (!e->msg[0]) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
  }
  return -1;
}

/* ---- the private directory ---- */

int rt_ensure_dir(struct rt_err *e) {
  if (!rt_dir[0]) {
    const char *x = secure_getenv("XDG_RUNTIME_DIR");
    if (!x || x[0] != '/')
      x = "/tmp";
    if ((size_t)snprintf(rt_dir, sizeof rt_dir, "%s/hotast-%u", x,
                         (unsigned)geteuid()) >= sizeof rt_dir) {
      rt_dir[0] = 0;
      return rt_fail(e, "XDG_RUNTIME_DIR is too long");
    }
  }
  struct stat st;
  if (mkdir(rt_dir, 0700) != 0 && errno != EEXIST)
    return rt_fail(e, "cannot create %s: %s", rt_dir, strerror(errno));
  if (lstat(rt_dir, &st) != 0)
    return rt_fail(e, "cannot stat %s: %s", rt_dir, strerror(errno));
  if (!S_ISDIR(st.st_mode))
    return rt_fail(e, "%s is not a directory", rt_dir);
  if (st.st_uid != geteuid())
    return rt_fail(e, "%s is owned by uid %u, not by this process's uid %u",
                   rt_dir, (unsigned)st.st_uid, (unsigned)geteuid());
  if (st.st_mode & 077)
    return rt_fail(e, "%s has mode %03o; it must not be accessible by group "
                   "or others", rt_dir, (unsigned)(st.st_mode & 0777));
  return 0;
}

/* ---- the socket ---- */

/* A request is complete at EOF, at an `end` line (apply) or at the first
 * newline (anything else). Only new bytes are scanned, so a peer dribbling
 * one byte at a time costs linear time. */
static int complete(const char *b, size_t n, size_t *scanned) {
  const char *nl = memchr(b, '\n', n);
  if (!nl)
    return 0;
  if ((size_t)(nl - b) != 5 || memcmp(b, "apply", 5) != 0)
    return 1;
  size_t from = *scanned > 4 ? *scanned - 4 : 0;
  *scanned = n;
  return n >= 5 && memmem(b + from, n - from, "\nend\n", 5) != NULL;
}

static long ms_left(const struct timespec *deadline) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (deadline->tv_sec - now.tv_sec) * 1000 +
         (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

static void serve(int c) {
  static char req[HOTAST_RT_REQUEST_MAX + 1];
  static char rep[HOTAST_RT_REPLY_MAX + 2];
  const size_t cap = sizeof rep - 1; /* room for the final newline */
  struct ucred cr = {0, (uid_t)-1, (gid_t)-1};
  socklen_t crl = sizeof cr;
  struct timeval tv = {2, 0};
  struct timespec deadline;
  size_t n = 0, scanned = 0;
  setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &crl) != 0 ||
      cr.uid != geteuid()) {
    char m[96];
    snprintf(m, sizeof m, "peer uid %u is not this process's uid %u",
             (unsigned)cr.uid, (unsigned)geteuid());
    rt_error_reply(rep, cap, m);
    goto send;
  }
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += 2;
  for (;;) {
    long left = ms_left(&deadline);
    struct pollfd pf = {c, POLLIN, 0};
    int pr = left > 0 ? poll(&pf, 1, (int)left) : 0;
    if (pr < 0 && errno == EINTR)
      continue;
    if (pr <= 0) {
      rt_error_reply(rep, cap, pr == 0 ? "timed out after 2 s reading the "
                                         "request"
                                       : "poll failed reading the request");
      goto send;
    }
    ssize_t k = recv(c, req + n, sizeof req - n, 0);
    if (k < 0 && errno == EINTR)
      continue;
    if (k < 0) {
      rt_error_reply(rep, cap, "error reading the request");
      goto send;
    }
    if (k == 0)
      break; /* peer shut down writing: the request is what we have */
    n += (size_t)k;
    if (n > HOTAST_RT_REQUEST_MAX) {
      rt_error_reply(rep, cap, "request longer than 65536 bytes");
      goto send;
    }
    if (complete(req, n, &scanned))
      break;
  }
  rt_handle(req, n, rep, cap);
send:;
  size_t len = strlen(rep);
  rep[len++] = '\n';
  for (size_t off = 0; off < len;) {
    ssize_t k = send(c, rep + off, len - off, MSG_NOSIGNAL);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      break;
    off += (size_t)k;
  }
}

static void *listener(void *arg) {
  (void)arg;
  for (;;) {
    int c = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (c >= 0) {
      serve(c);
      close(c);
    } else if (errno == EBADF || errno == EINVAL || errno == ENOTSOCK) {
      return NULL;
    } else if (errno != EINTR && errno != ECONNABORTED) {
      struct timespec pause = {0, 100 * 1000 * 1000}; /* EMFILE and kin */
      nanosleep(&pause, NULL);
    }
  }
}

static void unlink_socket(void) {
  if (listen_pid == getpid()) /* not a fork child exiting */
    unlink(sock_path);
}

static int start_listener(struct rt_err *e) {
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  if (rt_ensure_dir(e) != 0)
    return -1;
  if ((size_t)snprintf(a.sun_path, sizeof a.sun_path, "%s/%ld.sock", rt_dir,
                       (long)getpid()) >= sizeof a.sun_path)
    return rt_fail(e, "socket path %s/<pid>.sock is too long", rt_dir);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || probe < 0) {
    rt_fail(e, "socket: %s", strerror(errno));
    if (fd >= 0)
      close(fd);
    if (probe >= 0)
      close(probe);
    return -1;
  }
  /* A socket at our path is stale (an earlier process with our pid) unless
   * someone answers on it: a process of another pid namespace sharing this
   * directory. Never take a live socket away. */
  int live = connect(probe, (struct sockaddr *)&a, sizeof a) == 0;
  close(probe);
  if (live) {
    close(fd);
    return rt_fail(e, "another live process listens on %s", a.sun_path);
  }
  unlink(a.sun_path);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      chmod(a.sun_path, 0600) != 0 || listen(fd, 16) != 0) {
    rt_fail(e, "cannot listen on %s: %s", a.sun_path, strerror(errno));
    close(fd);
    return -1;
  }
  /* The listener thread runs this library's code until the process ends:
   * make a dlclose() of it a no-op instead of a crash. */
  Dl_info di;
  if (!dladdr(&listen_fd, &di) || !di.dli_fname ||
      !dlopen(di.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE)) {
    const char *de = dlerror();
    rt_fail(e, "cannot pin libhotast-rt in memory: %s", de ? de : "dladdr");
    close(fd);
    unlink(a.sun_path);
    return -1;
  }
  memcpy(sock_path, a.sun_path, sizeof sock_path);
  listen_fd = fd;
  listen_pid = getpid();
  atexit(unlink_socket);
  sigset_t all, old;
  pthread_t t;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old); /* the thread inherits it */
  int rc = pthread_create(&t, NULL, listener, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0) {
    unlink_socket();
    listen_pid = 0;
    listen_fd = -1;
    close(fd);
    return rt_fail(e, "pthread_create: %s", strerror(rc));
  }
  pthread_detach(t);
  return 0;
}

__attribute__((constructor)) static void hotast_rt_init(void) {
  const char *off = secure_getenv("HOTAST_RT_DISABLE");
  struct rt_err e = {{0}}, mb = {{0}};
  if (off && strcmp(off, "1") == 0)
    return;
  rt_lock();
  /* Registering is cheapest while the process has one thread; a failure
   * is reported again by every apply. */
  rt_redirect_init(&mb);
  if (start_listener(&e) != 0) {
    char m[sizeof e.msg + 40];
    int n = snprintf(m, sizeof m, "hotast-rt: not listening: %s\n", e.msg);
    if (write(2, m, (size_t)n) < 0) { /* nowhere left to report it */ }
  }
  rt_unlock();
}

/* ---- public API ---- */

int hotast_rt_on_patch(void (*fn)(void *, const char *), void *user) {
  return rt_add_callback(fn, user);
}

int hotast_rt_on_snapshot(int (*save)(void *, const void **, size_t *), void *user) {
  return rt_set_snapshot(save, user);
}

int hotast_rt_restore(int (*restore)(void *, const void *, size_t), void *user) {
  return rt_snapshot_restore(restore, user);
}

const char *hotast_rt_socket_path(void) {
  return listen_pid && listen_pid == getpid() ? sock_path : NULL;
}

const char *hotast_rt_dir(void) {
  struct rt_err e = {{0}};
  rt_lock();
  int rc = rt_ensure_dir(&e);
  rt_unlock();
  return rc == 0 ? rt_dir : NULL;
}

int hotast_rt_apply(const char *request, char *reply, size_t reply_size) {
  if (!reply || reply_size == 0)
    return -1;
  if (reply_size < HOTAST_RT_REPLY_MIN)
    return rt_error_reply(reply, reply_size,
                          "reply buffer smaller than HOTAST_RT_REPLY_MIN");
  if (!request)
    return rt_error_reply(reply, reply_size, "request is NULL");
  return rt_handle(request, strnlen(request, HOTAST_RT_REQUEST_MAX + 1), reply,
                   reply_size);
}
