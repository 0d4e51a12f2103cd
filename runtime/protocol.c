/* protocol.c - the requests: status, apply, undo, snapshot; the patch stack.
 *
 * State is a stack of applied patches, changed only under `lock`. A request
 * (include/hotast/rt.h documents the protocol) is checked completely before
 * anything changes: the build id, the parent, every entry's bytes, the file
 * (place, owner, mode, sha256, .dynsym) and membarrier; only then is the
 * patch dlopen()ed and its functions redirected as one unit (redirect.c).
 * A failure after dlopen (dlsym, membarrier) leaves one change behind: a
 * loaded, never-run patch library, as libraries are never dlclose()d (tests
 * "refuse" and "no membarrier" in runtime/tests/run.sh). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "hotast/rt.h"
#include "rt_internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

enum { STACK_MAX = 128, CB_MAX = 16, SYM_MAX = 1024 };
#define FILE_MAX (256L << 20)

struct patch {
  char id[65];
  char path[PATH_MAX];
  dev_t dev;
  ino_t ino;
  size_t n;
  uintptr_t *entry, *target;
  struct patch *next; /* every patch ever loaded, for unique ids and files */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct patch *stack[STACK_MAX];
static int depth;
static struct patch *loaded;
static struct {
  void (*fn)(void *, const char *);
  void *user;
} cbs[CB_MAX];
static int ncb;
static _Thread_local int in_callback;

/* ---- reply building ---- */

struct out {
  char *p;
  size_t cap, len; /* cap includes the NUL */
  int full;
};

static void put(struct out *o, const char *s, size_t n) {
  if (o->len + n >= o->cap) {
    o->full = 1;
    n = o->cap - 1 - o->len;
  }
  memcpy(o->p + o->len, s, n);
  o->len += n;
  o->p[o->len] = 0;
}
static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }
/* A JSON string; bytes outside printable ASCII become \u00XX, so the reply
 * is valid JSON whatever garbage a request quoted. */
static void put_json(struct out *o, const char *s) {
  put(o, "\"", 1);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    char esc[8];
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      put(o, esc, 2);
    } else if (c < 0x20 || c >= 0x7f) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      put(o, esc, 6);
    } else {
      put(o, (const char *)&c, 1);
    }
  }
  put(o, "\"", 1);
}
static int reply_error(struct out *o, const char *msg) {
  o->len = 0;
  o->full = 0;
  puts_(o, "{\"ok\":false,\"error\":");
  put_json(o, msg);
  puts_(o, "}");
  return -1;
}

/* ---- state queries ---- */

/* The topmost patch below stack level `below` that redirects entry f. */
static struct patch *owner(uintptr_t f, int below, uintptr_t *target) {
  for (int i = below - 1; i >= 0; i--)
    for (size_t k = 0; k < stack[i]->n; k++)
      if (stack[i]->entry[k] == f) {
        *target = stack[i]->target[k];
        return stack[i];
      }
  return NULL;
}

static void run_callbacks(const char *id) {
  in_callback = 1;
  for (int i = 0; i < ncb; i++)
    cbs[i].fn(cbs[i].user, id);
  in_callback = 0;
}

static int do_status(struct out *o) {
  struct rt_exe x;
  struct rt_err e = {{0}};
  if (rt_exe_read(&x, &e) != 0)
    return reply_error(o, e.msg);
  char num[64];
  snprintf(num, sizeof num, "{\"ok\":true,\"pid\":%ld,\"build_id\":",
           (long)getpid());
  puts_(o, num);
  put_json(o, x.build_id);
  snprintf(num, sizeof num, ",\"base\":\"%#lx\",\"snapshot\":%s,\"patches\":[",
           (unsigned long)x.base, rt_snapshot_registered() ? "true" : "false");
  puts_(o, num);
  for (int i = 0; i < depth; i++) {
    if (i)
      puts_(o, ",");
    put_json(o, stack[i]->id);
  }
  puts_(o, "]}");
  return o->full ? reply_error(o, "reply buffer too small for status") : 0;
}

static int do_snapshot(struct out *o) {
  struct rt_snapshot s;
  struct rt_err e = {{0}};
  if (rt_snapshot_write(&s, &e) != 0)
    return reply_error(o, e.msg);
  char num[128];
  puts_(o, "{\"ok\":true,\"snapshot\":");
  put_json(o, s.path);
  puts_(o, ",\"id\":");
  put_json(o, s.id);
  snprintf(num, sizeof num, ",\"created\":%lld,\"size\":%zu,\"sha256\":\"%s\"}", s.created,
           s.size, s.sha256);
  puts_(o, num);
  return o->full ? reply_error(o, "reply buffer too small") : 0;
}

static int do_undo(struct out *o) {
  if (!depth)
    return reply_error(o, "no patch to undo");
  struct patch *p = stack[depth - 1];
  struct rt_change *c = malloc(p->n * sizeof *c);
  struct rt_err e = {{0}}, warn = {{0}};
  if (!c)
    return reply_error(o, "out of memory");
  for (size_t i = 0; i < p->n; i++) {
    uintptr_t prev = 0;
    owner(p->entry[i], depth - 1, &prev);
    c[i] = (struct rt_change){p->entry[i], p->target[i], prev};
  }
  int rc = rt_redirect(c, p->n, &e, &warn);
  free(c);
  if (rc != 0)
    return reply_error(o, e.msg);
  depth--;
  run_callbacks(p->id);
  puts_(o, "{\"ok\":true,\"undone\":");
  put_json(o, p->id);
  if (warn.msg[0]) {
    puts_(o, ",\"warning\":");
    put_json(o, warn.msg);
  }
  puts_(o, "}");
  free(p->entry);
  free(p->target);
  p->entry = p->target = NULL;
  p->n = 0;
  return 0;
}

/* ---- apply ---- */

struct func_req {
  uintptr_t entry;
  char sym[SYM_MAX + 1];
  char expect[65]; /* "" = original, else the patch id */
};

struct apply_req {
  char id[65], parent[65], sha[65], build_id[129];
  char file[PATH_MAX];
  size_t nf;
  struct func_req *f;
};

static int valid_id(const char *s) {
  size_t n = strlen(s);
  if (n < 1 || n > 64 || strcmp(s, "none") == 0)
    return 0;
  return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                   "0123456789._-") == n;
}

static int is_hex(const char *s, size_t min, size_t max) {
  size_t n = strlen(s);
  return n >= min && n <= max && strspn(s, "0123456789abcdefABCDEF") == n;
}

/* Copies the rest of a line into dst, refusing what does not fit. */
static int field(char *dst, size_t cap, const char *v, size_t n, int *seen,
                 const char *name, struct rt_err *e) {
  if ((*seen)++)
    return rt_fail(e, "apply request has two '%s' lines", name);
  if (n == 0 || n >= cap)
    return rt_fail(e, "apply request: '%s' value is empty or too long", name);
  memcpy(dst, v, n);
  dst[n] = 0;
  return 0;
}

static int parse_func(struct func_req *f, const char *v, size_t n,
                      uintptr_t base, struct rt_err *e) {
  const char *sp1 = memchr(v, ' ', n);
  const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(v + n - sp1 - 1)) : 0;
  if (!sp2)
    return rt_fail(e, "func line must be 'func <offset> <symbol> <state>'");
  char off[32];
  size_t on = (size_t)(sp1 - v), sn = (size_t)(sp2 - sp1 - 1),
         en = (size_t)(v + n - sp2 - 1);
  if (on > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
    v += 2, on -= 2;
  if (on == 0 || on > 16)
    return rt_fail(e, "func offset must be 1-16 hex digits");
  memcpy(off, v, on);
  off[on] = 0;
  if (!is_hex(off, 1, 16))
    return rt_fail(e, "func offset '%s' is not hex", off);
  f->entry = base + (uintptr_t)strtoull(off, NULL, 16);
  if (sn == 0 || sn > SYM_MAX || memchr(sp1 + 1, 0, sn))
    return rt_fail(e, "func symbol name is empty or longer than %d bytes",
                   SYM_MAX);
  memcpy(f->sym, sp1 + 1, sn);
  f->sym[sn] = 0;
  if (en == 8 && memcmp(sp2 + 1, "original", 8) == 0) {
    f->expect[0] = 0;
  } else if (en > 8 && en - 8 <= 64 && memcmp(sp2 + 1, "patched:", 8) == 0) {
    memcpy(f->expect, sp2 + 9, en - 8);
    f->expect[en - 8] = 0;
  } else {
    return rt_fail(e, "func state must be 'original' or 'patched:<id>'");
  }
  return 0;
}

static int parse_apply(const char *p, const char *end, struct apply_req *r,
                       uintptr_t base, struct rt_err *e) {
  int s_id = 0, s_bid = 0, s_par = 0, s_file = 0, s_sha = 0, ended = 0;
  size_t cap = 0;
  for (const char *q = p; q < end; q++)
    cap += *q == '\n';
  r->f = calloc(cap + 1, sizeof *r->f);
  if (!r->f)
    return rt_fail(e, "out of memory");
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)((nl ? nl : end) - p);
    const char *l = p;
    p = nl ? nl + 1 : end;
    if (ended) {
      if (n)
        return rt_fail(e, "apply request has text after 'end'");
      continue;
    }
#define KEY(k) (n > sizeof(k) - 1 && memcmp(l, k, sizeof(k) - 1) == 0)
#define VAL(k) l + sizeof(k) - 1, n - (sizeof(k) - 1)
    int rc = 0;
    if (n == 3 && memcmp(l, "end", 3) == 0)
      ended = 1;
    else if (KEY("id "))
      rc = field(r->id, sizeof r->id, VAL("id "), &s_id, "id", e);
    else if (KEY("build-id "))
      rc = field(r->build_id, sizeof r->build_id, VAL("build-id "), &s_bid,
                 "build-id", e);
    else if (KEY("parent "))
      rc = field(r->parent, sizeof r->parent, VAL("parent "), &s_par,
                 "parent", e);
    else if (KEY("file "))
      rc = field(r->file, sizeof r->file, VAL("file "), &s_file, "file", e);
    else if (KEY("sha256 "))
      rc = field(r->sha, sizeof r->sha, VAL("sha256 "), &s_sha, "sha256", e);
    else if (KEY("func "))
      rc = parse_func(&r->f[r->nf++], VAL("func "), base, e);
    else
      return rt_fail(e, "apply request has an unknown line '%.*s'",
                     (int)(n > 60 ? 60 : n), l);
    if (rc)
      return rc;
#undef KEY
#undef VAL
  }
  if (!ended)
    return rt_fail(e, "apply request is truncated: no 'end' line");
  if (!s_id || !s_bid || !s_par || !s_file || !s_sha || !r->nf)
    return rt_fail(e, "apply request lacks a%s line",
                   !s_id    ? "n 'id'"
                   : !s_bid ? " 'build-id'"
                   : !s_par ? " 'parent'"
                   : !s_file ? " 'file'"
                   : !s_sha ? " 'sha256'"
                             : " 'func'");
  return 0;
}

/* Place, owner, mode and sha256 of the patch file, and its .dynsym. */
static int check_file(const struct apply_req *r, char *real, struct stat *st,
                      struct rt_err *e) {
  char rdir[PATH_MAX];
  if (r->file[0] != '/')
    return rt_fail(e, "patch file path must be absolute");
  if (rt_ensure_dir(e) != 0 || !realpath(rt_dir, rdir))
    return rt_fail(e, "the runtime directory is unusable");
  if (!realpath(r->file, real))
    return rt_fail(e, "cannot resolve patch file %s: %s", r->file,
                   strerror(errno));
  size_t dn = strlen(rdir);
  if (strncmp(real, rdir, dn) != 0 || real[dn] != '/')
    return rt_fail(e, "patch file %s is not inside %s", real, rdir);
  for (struct patch *p = loaded; p; p = p->next)
    if (strcmp(p->path, real) == 0)
      return rt_fail(e, "patch file %s was already loaded by patch '%s'; "
                     "every patch needs a new file", real, p->id);
  int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return rt_fail(e, "cannot open patch file %s: %s", real, strerror(errno));
  unsigned char *img = NULL;
  int rc = -1;
  if (fstat(fd, st) != 0) {
    rt_fail(e, "cannot stat patch file: %s", strerror(errno));
  } else if (!S_ISREG(st->st_mode)) {
    rt_fail(e, "patch file %s is not a regular file", real);
  } else if (st->st_uid != geteuid()) {
    rt_fail(e, "patch file %s is owned by uid %u, not %u", real,
            (unsigned)st->st_uid, (unsigned)geteuid());
  } else if (st->st_mode & 022) {
    rt_fail(e, "patch file %s is writable by group or others", real);
  } else if (st->st_size <= 0 || st->st_size > FILE_MAX) {
    rt_fail(e, "patch file %s is empty or larger than 256 MiB", real);
  } else if (!(img = malloc((size_t)st->st_size))) {
    rt_fail(e, "out of memory");
  } else {
    size_t got = 0;
    while (got < (size_t)st->st_size) {
      ssize_t k = read(fd, img + got, (size_t)st->st_size - got);
      if (k < 0 && errno == EINTR)
        continue;
      if (k <= 0)
        break;
      got += (size_t)k;
    }
    char hex[65];
    rt_sha256_hex(img, got, hex);
    if (got != (size_t)st->st_size)
      rt_fail(e, "could not read all of patch file %s", real);
    else if (strcasecmp(hex, r->sha) != 0)
      rt_fail(e, "sha256 mismatch: request has %s, file %s has %s", r->sha,
              real, hex);
    else
      rc = 0;
    for (size_t i = 0; rc == 0 && i < r->nf; i++)
      rc = rt_elf_has_func(img, got, r->f[i].sym, strlen(r->f[i].sym), e);
  }
  /* glibc returns an already loaded object for a path or a (dev, inode)
   * it has seen, even if the bytes on disk changed: refuse both. */
  for (struct patch *p = loaded; rc == 0 && p; p = p->next)
    if (p->dev == st->st_dev && p->ino == st->st_ino)
      rc = rt_fail(e, "patch file %s is the same file (inode) as patch '%s'",
                   real, p->id);
  free(img);
  close(fd);
  return rc;
}

static int validate(const struct apply_req *r, const struct rt_exe *x,
                    uintptr_t *from, struct rt_err *e) {
  const char *top = depth ? stack[depth - 1]->id : "none";
  if (!valid_id(r->id))
    return rt_fail(e, "patch id must be 1-64 characters of [A-Za-z0-9._-] "
                   "and not 'none'");
  for (struct patch *p = loaded; p; p = p->next)
    if (strcmp(p->id, r->id) == 0)
      return rt_fail(e, "patch id '%s' was already used in this process",
                     r->id);
  if (!x->build_id[0])
    return rt_fail(e, "the executable has no NT_GNU_BUILD_ID note (link it "
                   "with -Wl,--build-id)");
  if (strcasecmp(r->build_id, x->build_id) != 0)
    return rt_fail(e, "build id mismatch: request has %s, executable has %s",
                   r->build_id, x->build_id);
  if (strcmp(r->parent, top) != 0)
    return rt_fail(e, "parent mismatch: request says '%s', top of the patch "
                   "stack is '%s'", r->parent, top);
  if (depth == STACK_MAX)
    return rt_fail(e, "the patch stack is full (%d patches)", STACK_MAX);
  if (!is_hex(r->sha, 64, 64))
    return rt_fail(e, "sha256 must be 64 hex digits");
  for (size_t i = 0; i < r->nf; i++) {
    uintptr_t f = r->f[i].entry, off = f - x->base, t = 0, cur = 0;
    if (f % 16)
      return rt_fail(e, "func offset %#lx is not 16-byte aligned",
                     (unsigned long)off);
    if (f < 16 || !rt_exe_contains(x, f - 16, f + 2))
      return rt_fail(e, "func offset %#lx is not inside an executable segment "
                     "of the executable", (unsigned long)off);
    for (size_t k = 0; k < i; k++)
      if (r->f[k].entry == f)
        return rt_fail(e, "func offset %#lx appears twice", (unsigned long)off);
    struct patch *o = owner(f, depth, &cur);
    enum rt_entry_state s = rt_entry_state(f, &t);
    const char *want = r->f[i].expect;
    if (!want[0] && o)
      return rt_fail(e, "function at offset %#lx is patched by '%s', the "
                     "request expects original", (unsigned long)off, o->id);
    if (want[0] && (!o || strcmp(o->id, want) != 0))
      return rt_fail(e, "function at offset %#lx is %s%s%s, the request "
                     "expects patched:%s", (unsigned long)off,
                     o ? "patched by '" : "original", o ? o->id : "",
                     o ? "'" : "", want);
    if (!want[0] && s != RT_ENTRY_ORIGINAL && s != RT_ENTRY_RESTORED)
      return rt_fail(e, "function at offset %#lx does not start with the "
                     "entry clang -fpatchable-function-entry=18,16 emits (16 "
                     "x 90, then 66 90)", (unsigned long)off);
    if (want[0] && (s != RT_ENTRY_REDIRECTED || t != cur))
      return rt_fail(e, "function at offset %#lx does not hold patch '%s''s "
                     "trampoline", (unsigned long)off, want);
    from[i] = cur;
  }
  return 0;
}

static int do_apply(const char *p, const char *end, struct out *o) {
  struct rt_err e = {{0}}, warn = {{0}};
  struct rt_exe x;
  struct apply_req r;
  struct patch *np = NULL;
  struct rt_change *c = NULL;
  uintptr_t *from = NULL;
  struct stat st;
  int rc = -1;
  memset(&r, 0, sizeof r);
  if (rt_exe_read(&x, &e) != 0 || parse_apply(p, end, &r, x.base, &e) != 0)
    goto out;
  np = calloc(1, sizeof *np);
  from = calloc(r.nf, sizeof *from);
  c = calloc(r.nf, sizeof *c);
  if (np)
    np->entry = calloc(r.nf, sizeof *np->entry),
    np->target = calloc(r.nf, sizeof *np->target);
  if (!np || !from || !c || !np->entry || !np->target) {
    rt_fail(&e, "out of memory");
    goto out;
  }
  if (validate(&r, &x, from, &e) != 0 || check_file(&r, np->path, &st, &e) ||
      rt_redirect_init(&e) != 0)
    goto out;
  in_callback = 1; /* a constructor of the patch may only ask `status` */
  void *h = dlopen(np->path, RTLD_NOW | RTLD_LOCAL);
  in_callback = 0;
  if (!h) {
    const char *de = dlerror();
    rt_fail(&e, "dlopen failed: %s", de ? de : "unknown error");
    goto out;
  }
  /* From here the library stays loaded (and its id and file used up). */
  memcpy(np->id, r.id, sizeof np->id);
  np->dev = st.st_dev;
  np->ino = st.st_ino;
  np->next = loaded;
  loaded = np;
  for (size_t i = 0; i < r.nf; i++) {
    void *t = dlsym(h, r.f[i].sym);
    if (!t) {
      rt_fail(&e, "dlsym(%s) found nothing in the loaded patch", r.f[i].sym);
      goto out_loaded;
    }
    c[i] = (struct rt_change){r.f[i].entry, from[i], (uintptr_t)t};
  }
  if (rt_redirect(c, r.nf, &e, &warn) != 0)
    goto out_loaded;
  for (size_t i = 0; i < r.nf; i++) {
    np->entry[i] = c[i].entry;
    np->target[i] = c[i].to;
  }
  np->n = r.nf;
  stack[depth++] = np;
  run_callbacks(np->id);
  char num[32];
  puts_(o, "{\"ok\":true,\"applied\":");
  put_json(o, np->id);
  snprintf(num, sizeof num, ",\"functions\":%zu", r.nf);
  puts_(o, num);
  if (warn.msg[0]) {
    puts_(o, ",\"warning\":");
    put_json(o, warn.msg);
  }
  puts_(o, "}");
  rc = 0;
  np = NULL;
out_loaded:
  if (np) {
    free(np->entry);
    free(np->target);
    np->entry = np->target = NULL;
    np = NULL; /* stays on the loaded list */
  }
out:
  if (np) {
    free(np->entry);
    free(np->target);
  }
  free(np);
  free(from);
  free(c);
  free(r.f);
  return rc == 0 ? 0 : reply_error(o, e.msg);
}

/* ---- one request, from the socket or from hotast_rt_apply ---- */

static int line_is(const char *p, const char *end, const char *w) {
  size_t n = strlen(w), len = (size_t)(end - p);
  if (len < n || memcmp(p, w, n) != 0)
    return 0;
  for (p += n; p < end; p++) /* only empty lines may follow */
    if (*p != '\n')
      return 0;
  return 1;
}

static int handle(const char *req, size_t len, struct out *o) {
  const char *end = req + len;
  if (len == 0)
    return reply_error(o, "empty request");
  if (len > HOTAST_RT_REQUEST_MAX)
    return reply_error(o, "request longer than 65536 bytes");
  if (memchr(req, 0, len))
    return reply_error(o, "request contains a NUL byte");
  int status = line_is(req, end, "status");
  if (in_callback) /* the lock is held by this thread already */
    return status ? do_status(o)
                  : reply_error(o, "only 'status' is allowed from a patch "
                                   "callback or constructor");
  pthread_mutex_lock(&lock);
  int rc;
  if (status)
    rc = do_status(o);
  else if (line_is(req, end, "undo"))
    rc = do_undo(o);
  else if (line_is(req, end, "snapshot"))
    rc = do_snapshot(o);
  else if (len >= 5 && memcmp(req, "apply", 5) == 0 &&
           (len == 5 || req[5] == '\n'))
    rc = do_apply(req + (len == 5 ? 5 : 6), end, o);
  else
    rc = reply_error(o, "unknown request");
  pthread_mutex_unlock(&lock);
  return rc;
}


int rt_handle(const char *req, size_t len, char *reply, size_t cap) {
  struct out o = {reply, cap, 0, 0};
  reply[0] = 0;
  return handle(req, len, &o);
}

int rt_error_reply(char *reply, size_t cap, const char *msg) {
  struct out o = {reply, cap, 0, 0};
  return reply_error(&o, msg);
}

void rt_lock(void) {
  if (!in_callback)
    pthread_mutex_lock(&lock);
}

void rt_unlock(void) {
  if (!in_callback)
    pthread_mutex_unlock(&lock);
}

int rt_add_callback(void (*fn)(void *, const char *), void *user) {
  int rc = -1;
  rt_lock();
  if (fn && ncb < CB_MAX) {
    cbs[ncb].fn = fn;
    cbs[ncb++].user = user;
    rc = 0;
  }
  rt_unlock();
  return rc;
}
