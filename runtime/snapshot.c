/* snapshot.c - the app's state across a restart.
 *
 * When an edit cannot be patched, hotast watch can rebuild the program and
 * start it again. An app that registered hotast_rt_on_snapshot hands its
 * state over: on the `snapshot` request the runtime calls the app's save
 * function and writes the bytes to a file in the private directory, with a
 * header line:
 *
 *   hotast-snapshot 1 <id> <created, Unix seconds> <build id> <size> <sha256>
 *
 * The new process finds the file in HOTAST_RT_SNAPSHOT; hotast_rt_restore
 * checks that it lies in the private directory, is the user's own and not
 * writable by others, and that its bytes have the size and hash of the
 * header, before the app's restore function sees them. The bytes are the
 * app's: it chooses a format that survives the edit (text, versioned).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "rt_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int (*save_fn)(void *, const void **, size_t *);
static void *save_user;
static unsigned snapshot_count;

int rt_snapshot_registered(void) { return save_fn != NULL; }

int rt_set_snapshot(int (*fn)(void *, const void **, size_t *), void *user) {
  if (!fn)
    return -1;
  rt_lock();
  save_fn = fn;
  save_user = user;
  rt_unlock();
  return 0;
}

/* The caller holds the lock. */
int rt_snapshot_write(struct rt_snapshot *s, struct rt_err *e) {
  if (!save_fn)
    return rt_fail(e, "the program registered no snapshot (hotast_rt_on_snapshot)");
  if (rt_ensure_dir(e) != 0)
    return -1;
  struct rt_exe x;
  if (rt_exe_read(&x, e) != 0)
    return -1;
  const void *data = NULL;
  size_t size = 0;
  if (save_fn(save_user, &data, &size) != 0 || (size && !data))
    return rt_fail(e, "the program's snapshot function failed");
  rt_sha256_hex(data, size, s->sha256);
  s->created = (long long)time(NULL);
  s->size = size;
  snprintf(s->id, sizeof s->id, "%lld-%ld-%u", s->created, (long)getpid(), ++snapshot_count);
  if ((size_t)snprintf(s->path, sizeof s->path, "%s/%ld-snapshot-%s.bin", rt_dir,
                       (long)getpid(), s->id) >= sizeof s->path)
    return rt_fail(e, "snapshot path too long");
  int fd = open(s->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return rt_fail(e, "cannot create %s: %s", s->path, strerror(errno));
  char head[512];
  int n = snprintf(head, sizeof head, "hotast-snapshot 1 %s %lld %s %zu %s\n", s->id, s->created,
                   x.build_id[0] ? x.build_id : "-", size, s->sha256);
  int ok = n > 0 && write(fd, head, (size_t)n) == n;
  for (size_t done = 0; ok && done < size;) {
    ssize_t w = write(fd, (const char *)data + done, size - done);
    if (w < 0 && errno == EINTR)
      continue;
    ok = w > 0;
    done += ok ? (size_t)w : 0;
  }
  ok = close(fd) == 0 && ok;
  if (!ok) {
    unlink(s->path);
    return rt_fail(e, "cannot write %s", s->path);
  }
  return 0;
}

static int refuse(const char *fmt, const char *what) {
  char m[PATH_MAX + 200];
  int n = snprintf(m, sizeof m, "hotast-rt: snapshot not restored: ");
  n += snprintf(m + n, sizeof m - (size_t)n, fmt, what);
  n += snprintf(m + n, sizeof m - (size_t)n, "\n");
  if (write(2, m, (size_t)n) < 0) { /* nowhere left to report it */ }
  return -1;
}

int rt_snapshot_restore(int (*fn)(void *, const void *, size_t), void *user) {
  const char *path = secure_getenv("HOTAST_RT_SNAPSHOT");
  if (!path || !*path)
    return 0;
  if (!fn)
    return refuse("%s: no restore function", path);
  struct rt_err e = {{0}};
  rt_lock();
  int rc = rt_ensure_dir(&e);
  rt_unlock();
  if (rc != 0)
    return refuse("%s", e.msg);
  char real[PATH_MAX];
  size_t dl = strlen(rt_dir);
  if (!realpath(path, real))
    return refuse("%s cannot be found", path);
  if (strncmp(real, rt_dir, dl) != 0 || real[dl] != '/')
    return refuse("%s is not in the runtime's private directory", path);
  int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
      (st.st_mode & 022)) {
    if (fd >= 0)
      close(fd);
    return refuse("%s is not a file of this user closed to others", path);
  }
  char *buf = malloc((size_t)st.st_size + 1);
  size_t got = 0;
  while (buf && got < (size_t)st.st_size) {
    ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  close(fd);
  if (!buf || got != (size_t)st.st_size) {
    free(buf);
    return refuse("%s cannot be read", path);
  }
  buf[got] = 0;
  char *nl = memchr(buf, '\n', got);
  char id[64], build[130], sha[65];
  long long created = 0;
  size_t size = 0;
  if (!nl || sscanf(buf, "hotast-snapshot 1 %63s %lld %129s %zu %64s", id, &created, build,
                    &size, sha) != 5) {
    free(buf);
    return refuse("%s is not a hotast snapshot", path);
  }
  const char *data = nl + 1;
  char check[65];
  if ((size_t)(buf + got - data) != size || (rt_sha256_hex(data, size, check), strcmp(check, sha))) {
    free(buf);
    return refuse("%s: its bytes do not match its size and hash", path);
  }
  rc = fn(user, data, size);
  free(buf);
  if (rc != 0)
    return refuse("%s: the program's restore function refused it", path);
  unlink(real);
  return 1;
}
