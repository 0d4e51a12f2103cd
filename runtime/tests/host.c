/* host.c - the program the runtime tests patch. Built by run.sh with
 * clang-19 -O0 -fpatchable-function-entry=18,16 -rdynamic -Wl,--build-id
 * and linked with libhotast-rt.so. One subcommand per test:
 *   basic V2 V3      apply, stack, undo, re-apply; pointers taken early
 *   stress V2 V3     2 threads call value() while 100 apply/undo cycles run
 *   refuse V2 NODEP OUTSIDE  each bad request leaves everything unchanged
 *   bench BENCH      median time to apply/undo a 10-function patch
 *   disabled V2      HOTAST_RT_DISABLE=1: no socket, in-process apply works
 *   nomembarrier V2  membarrier denied by seccomp: apply refused, no change
 *   nolisten         unsafe directory: no socket, no directory
 *   serve LOG        listen; log every change of value() to LOG until
 *                    LOG.stop appears (socket and uid tests)
 * Prints one line per failure and "<test>: ok" at the end on success. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "hotast/rt.h"
#include "../rt_internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/membarrier.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int value(void) { return 1; }
#define F(n) int f##n(void) { return n; }
F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9)
/* Compiled without the NOP padding: must be refused as not patchable. */
__attribute__((patchable_function_entry(0, 0))) int unpadded(void) {
  return 7;
}
int data_var = 5;

/* Taken before any patch: must reach the new code through the old entry. */
int (*volatile early)(void) = value;

static int nfail;
#define CHECK(c, ...)                                                          \
  do {                                                                         \
    if (!(c)) {                                                                \
      nfail++;                                                                 \
      printf("FAIL %s:%d: ", __func__, __LINE__);                              \
      printf(__VA_ARGS__);                                                     \
      printf("\n");                                                            \
    }                                                                          \
  } while (0)

static char dir[4096], build_id[129];
static uintptr_t base;

static int rt(char *rep, const char *fmt, ...) {
  static char req[80000];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(req, sizeof req, fmt, ap);
  va_end(ap);
  return hotast_rt_apply(req, rep, HOTAST_RT_REPLY_MAX);
}

static void read_status(void) {
  char rep[HOTAST_RT_REPLY_MAX];
  CHECK(rt(rep, "status") == 0, "status: %s", rep);
  const char *b = strstr(rep, "\"build_id\":\""), *a = strstr(rep, "\"base\":\"");
  CHECK(b && a, "status fields: %s", rep);
  if (!b || !a)
    exit(1);
  sscanf(b + 12, "%128[0-9a-f]", build_id);
  base = (uintptr_t)strtoull(a + 8, NULL, 16);
  CHECK(strlen(build_id) == 40, "build id '%s'", build_id);
  const char *d = hotast_rt_dir();
  CHECK(d != NULL, "hotast_rt_dir() is NULL");
  snprintf(dir, sizeof dir, "%s", d ? d : "/nonexistent");
}

static unsigned long off(int (*fn)(void)) { return (uintptr_t)fn - base; }

/* Copies src to dst with the given mode; fills sha (hex). */
static void copy(const char *src, const char *dst, mode_t mode, char sha[65]) {
  static char buf[1 << 20];
  int in = open(src, O_RDONLY), out;
  ssize_t n = in < 0 ? -1 : read(in, buf, sizeof buf);
  unlink(dst);
  out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (in < 0 || n <= 0 || out < 0 || write(out, buf, (size_t)n) != n) {
    printf("FAIL copy %s -> %s: %s\n", src, dst, strerror(errno));
    exit(1);
  }
  fchmod(out, mode);
  close(in);
  close(out);
  rt_sha256_hex(buf, (size_t)n, sha);
}

/* Installs src as <dir>/<id>.so and sends a complete apply request with
 * the given parent and func lines. */
static int apply(char *rep, const char *id, const char *parent,
                 const char *src, const char *funcs) {
  char path[4200], sha[65];
  snprintf(path, sizeof path, "%s/%s.so", dir, id);
  copy(src, path, 0644, sha);
  return rt(rep,
            "apply\nid %s\nbuild-id %s\nparent %s\nfile %s\nsha256 %s\n%send\n",
            id, build_id, parent, path, sha, funcs);
}

static char *vfunc(const char *sym, const char *state) {
  static char b[4][256];
  static int k;
  char *s = b[k++ % 4];
  snprintf(s, 256, "func %lx %s %s\n", off(value), sym, state);
  return s;
}

static int undo(char *rep) { return rt(rep, "undo"); }

/* ---- basic ---- */

static char cblog[1024];
static void on_patch(void *user, const char *id) {
  char rep[HOTAST_RT_REPLY_MAX];
  strcat(cblog, id);
  strcat(cblog, user);
  /* Inside a callback only status is served; anything else is refused. */
  CHECK(hotast_rt_apply("status", rep, sizeof rep) == 0, "%s", rep);
  CHECK(hotast_rt_apply("undo", rep, sizeof rep) != 0 &&
            strstr(rep, "only 'status'"), "%s", rep);
}

static int basic(const char *v2, const char *v3) {
  char rep[HOTAST_RT_REPLY_MAX];
  const unsigned char *e = (const unsigned char *)(uintptr_t)value;
  read_status();
  CHECK(hotast_rt_on_patch(on_patch, ",") == 0, "on_patch");
  CHECK(hotast_rt_on_patch(NULL, NULL) == -1, "on_patch(NULL)");
  CHECK(value() == 1 && early() == 1, "before: %d %d", value(), early());
  CHECK(e[0] == 0x66 && e[1] == 0x90, "entry before: %02x %02x", e[0], e[1]);
  CHECK(apply(rep, "b1", "none", v2, vfunc("value_v2", "original")) == 0,
        "%s", rep);
  CHECK(strcmp(rep, "{\"ok\":true,\"applied\":\"b1\",\"functions\":1}") == 0,
        "%s", rep);
  CHECK(value() == 2 && early() == 2, "b1: %d %d", value(), early());
  CHECK(e[0] == 0xEB && e[1] == 0xEE && e[-16] == 0xFF, "entry after b1");
  CHECK(apply(rep, "b2", "b1", v3, vfunc("value_v3", "patched:b1")) == 0,
        "%s", rep);
  CHECK(value() == 3 && early() == 3, "b2: %d %d", value(), early());
  rt(rep, "status");
  CHECK(strstr(rep, "\"patches\":[\"b1\",\"b2\"]}"), "%s", rep);
  CHECK(undo(rep) == 0 && strcmp(rep, "{\"ok\":true,\"undone\":\"b2\"}") == 0,
        "%s", rep);
  CHECK(value() == 2 && early() == 2, "undo b2: %d %d", value(), early());
  CHECK(undo(rep) == 0 && strstr(rep, "\"b1\""), "%s", rep);
  CHECK(value() == 1 && early() == 1, "undo b1: %d %d", value(), early());
  CHECK(e[0] == 0x66 && e[1] == 0x90 && e[-16] == 0xEB && e[-15] == 0x0E &&
            e[-14] == 0x90 && e[-1] == 0x90,
        "entry after undo: %02x %02x / %02x %02x", e[0], e[1], e[-16], e[-15]);
  CHECK(undo(rep) != 0 &&
            strcmp(rep, "{\"ok\":false,\"error\":\"no patch to undo\"}") == 0,
        "%s", rep);
  /* Re-apply over a restored entry (EB 0E padding), then undo again. */
  CHECK(apply(rep, "b3", "none", v2, vfunc("value_v2", "original")) == 0,
        "%s", rep);
  CHECK(value() == 2 && early() == 2, "b3: %d %d", value(), early());
  CHECK(undo(rep) == 0, "%s", rep);
  CHECK(value() == 1, "undo b3: %d", value());
  CHECK(strcmp(cblog, "b1,b2,b2,b1,b3,b3,") == 0, "callbacks: %s", cblog);
  CHECK(rt(rep, "frobnicate") != 0 &&
            strcmp(rep, "{\"ok\":false,\"error\":\"unknown request\"}") == 0,
        "%s", rep);
  if (!nfail)
    printf("basic: ok\n");
  return nfail != 0;
}

/* ---- stress ---- */

static volatile int stop;
static long calls[2], bad[2];
static void *spin(void *arg) {
  long k = (long)(intptr_t)arg;
  while (!stop) {
    int v = early(), w = value(); /* the early pointer, and a direct call */
    calls[k]++;
    if (v < 1 || v > 3 || w < 1 || w > 3)
      bad[k]++;
  }
  return NULL;
}

static int stress(const char *v2, const char *v3) {
  char rep[HOTAST_RT_REPLY_MAX], id[32], id3[32];
  pthread_t t[2];
  read_status();
  for (long k = 0; k < 2; k++)
    pthread_create(&t[k], NULL, spin, (void *)(intptr_t)k);
  int seen[4] = {0};
  for (int i = 0; i < 100 && !nfail; i++) {
    snprintf(id, sizeof id, "s%d", i);
    CHECK(apply(rep, id, "none", v2, vfunc("value_v2", "original")) == 0,
          "%s", rep);
    seen[value() & 3]++;
    if (i % 2) {
      char st[40];
      snprintf(id3, sizeof id3, "s%d-3", i);
      snprintf(st, sizeof st, "patched:%s", id);
      CHECK(apply(rep, id3, id, v3, vfunc("value_v3", st)) == 0, "%s", rep);
      seen[value() & 3]++;
      CHECK(undo(rep) == 0, "%s", rep);
    }
    CHECK(undo(rep) == 0, "%s", rep);
    seen[value() & 3]++;
  }
  stop = 1;
  for (int k = 0; k < 2; k++)
    pthread_join(t[k], NULL);
  CHECK(bad[0] == 0 && bad[1] == 0, "illegal values: %ld %ld", bad[0], bad[1]);
  CHECK(calls[0] > 1000 && calls[1] > 1000, "threads made no progress");
  CHECK(seen[1] == 100 && seen[2] == 100 && seen[3] == 50, "seen %d %d %d",
        seen[1], seen[2], seen[3]);
  printf("stress: %ld + %ld calls during 150 applies and 150 undos\n",
         calls[0], calls[1]);
  if (!nfail)
    printf("stress: ok\n");
  return nfail != 0;
}

/* ---- refuse ---- */

static unsigned char snap[3][18];
static char stack_snap[HOTAST_RT_REPLY_MAX];
static const char *top_status(void) {
  static char rep[HOTAST_RT_REPLY_MAX];
  rt(rep, "status");
  return strstr(rep, "\"patches\":");
}

/* Sends a request that must fail with `want` in its error and change
 * nothing: values, entry bytes, patch stack. */
static void refused(const char *what, int rc, const char *rep,
                    const char *want, int expect_value) {
  const unsigned char *ents[3] = {(const unsigned char *)(uintptr_t)value,
                                  (const unsigned char *)(uintptr_t)f0,
                                  (const unsigned char *)(uintptr_t)f1};
  CHECK(rc == -1 && strstr(rep, "\"ok\":false") && strstr(rep, want),
        "%s: want '%s', got %s", what, want, rep);
  CHECK(value() == expect_value && early() == expect_value && f0() == 0,
        "%s: value %d", what, value());
  for (int i = 0; i < 3; i++)
    CHECK(memcmp(snap[i], ents[i] - 16, 18) == 0, "%s: entry %d changed",
          what, i);
  CHECK(strcmp(stack_snap, top_status()) == 0, "%s: stack %s", what,
        top_status());
}

static void snapshot(void) {
  memcpy(snap[0], (const unsigned char *)(uintptr_t)value - 16, 18);
  memcpy(snap[1], (const unsigned char *)(uintptr_t)f0 - 16, 18);
  memcpy(snap[2], (const unsigned char *)(uintptr_t)f1 - 16, 18);
  snprintf(stack_snap, sizeof stack_snap, "%s", top_status());
}

static int refuse(const char *v2, const char *nodep, const char *outside) {
  char rep[HOTAST_RT_REPLY_MAX], path[4200], sha[65], fn[256], stack0[256];
  read_status();
  snapshot();
  snprintf(stack0, sizeof stack0, "%s", top_status());
  char orig[256];
  snprintf(orig, sizeof orig, "%s", vfunc("value_v2", "original"));
#define REQ(id, bid, parent, file, sha_, funcs)                                \
  rt(rep, "apply\nid %s\nbuild-id %s\nparent %s\nfile %s\nsha256 %s\n%send\n", \
     id, bid, parent, file, sha_, funcs)
  snprintf(path, sizeof path, "%s/r.so", dir);
  copy(v2, path, 0644, sha);

  refused("build id", REQ("r1", "00ff", "none", path, sha, orig), rep,
          "build id mismatch", 1);
  refused("parent", REQ("r1", build_id, "r0", path, sha, orig), rep,
          "parent mismatch", 1);
  refused("sha256", REQ("r1", build_id, "none", path,
                        "0000000000000000000000000000000000000000000000000000000000000000",
                        orig), rep, "sha256 mismatch", 1);
  refused("sha256 syntax", REQ("r1", build_id, "none", path, "abc", orig), rep,
          "64 hex digits", 1);
  char osha[65];
  copy(v2, outside, 0644, osha);
  refused("outside", REQ("r1", build_id, "none", outside, osha, orig), rep,
          "is not inside", 1);
  char lnk[4200];
  snprintf(lnk, sizeof lnk, "%s/link.so", dir);
  unlink(lnk);
  CHECK(symlink(outside, lnk) == 0, "symlink");
  refused("symlink out", REQ("r1", build_id, "none", lnk, osha, orig), rep,
          "is not inside", 1);
  refused("relative", REQ("r1", build_id, "none", "r.so", sha, orig), rep,
          "absolute", 1);
  refused("state", REQ("r1", build_id, "none", path, sha,
                       vfunc("value_v2", "patched:r0")), rep,
          "expects patched:r0", 1);
  refused("state syntax", REQ("r1", build_id, "none", path, sha,
                              vfunc("value_v2", "patched")), rep,
          "'original' or 'patched:<id>'", 1);
  refused("symbol", REQ("r1", build_id, "none", path, sha,
                        vfunc("value_v7", "original")), rep,
          "symbol 'value_v7' is not a defined function", 1);
  refused("undefined symbol", REQ("r1", build_id, "none", path, sha,
                                  vfunc("printf", "original")), rep,
          "is not a defined function", 1);
  snprintf(fn, sizeof fn, "func %lx value_v2 original\n",
           (unsigned long)((uintptr_t)&data_var - base) & ~15UL);
  refused("data offset", REQ("r1", build_id, "none", path, sha, fn), rep,
          "not inside an executable segment", 1);
  refused("header offset", REQ("r1", build_id, "none", path, sha,
                               "func 0x10 value_v2 original\n"), rep,
          "not inside an executable segment", 1);
  refused("huge offset", REQ("r1", build_id, "none", path, sha,
                             "func fffffffffff0 value_v2 original\n"), rep,
          "not inside an executable segment", 1);
  snprintf(fn, sizeof fn, "func %lx value_v2 original\n", off(value) + 8);
  refused("unaligned", REQ("r1", build_id, "none", path, sha, fn), rep,
          "not 16-byte aligned", 1);
  snprintf(fn, sizeof fn, "func %lx value_v2 original\n", off(unpadded));
  refused("unpadded", REQ("r1", build_id, "none", path, sha, fn), rep,
          "does not start with the entry", 1);
  /* One good and one bad function: the good one must not change either. */
  snprintf(fn, sizeof fn, "%sfunc %lx value_v2 patched:x\n", orig, off(f0));
  refused("one unit", REQ("r1", build_id, "none", path, sha, fn), rep,
          "expects patched:x", 1);
  snprintf(fn, sizeof fn, "%s%s", orig, orig);
  refused("twice", REQ("r1", build_id, "none", path, sha, fn), rep,
          "appears twice", 1);
  refused("id", REQ("bad/id", build_id, "none", path, sha, orig), rep,
          "patch id must be", 1);
  refused("id none", REQ("none", build_id, "none", path, sha, orig), rep,
          "patch id must be", 1);
  refused("no func", REQ("r1", build_id, "none", path, sha, ""), rep,
          "lacks a 'func' line", 1);
  refused("missing sha", rt(rep, "apply\nid r1\nbuild-id %s\nparent none\n"
                            "file %s\n%send\n", build_id, path, orig),
          rep, "lacks a 'sha256' line", 1);
  refused("two ids", rt(rep, "apply\nid r1\nid r2\nend\n"), rep,
          "two 'id' lines", 1);
  refused("unknown line", rt(rep, "apply\nid r1\nflavour mint\nend\n"), rep,
          "unknown line 'flavour mint'", 1);
  refused("after end", rt(rep, "apply\nid r1\nend\nmore\n"), rep,
          "text after 'end'", 1);
  refused("truncated", rt(rep, "apply\nid r1\nbuild-id %s\nparent none\n"
                          "file %s\nsha256 %s\n%s", build_id, path, sha, orig),
          rep, "truncated: no 'end' line", 1);
  refused("garbage", rt(rep, "\x01\x7f\xff\xfe garbage \"quoted\"\n"), rep,
          "unknown request", 1);
  CHECK(strchr(rep, 0xff) == NULL, "garbage echoed raw");
  refused("empty", rt(rep, "%s", ""), rep, "empty request", 1);
  static char big[HOTAST_RT_REQUEST_MAX + 100];
  memset(big, 'x', sizeof big - 1);
  refused("over-long", hotast_rt_apply(big, rep, sizeof rep), rep,
          "longer than 65536", 1);
  char small[100];
  refused("small reply buffer", hotast_rt_apply("status", small, sizeof small),
          small, "ok\":false", 1);
  /* File checks. */
  chmod(path, 0664);
  refused("group-writable", REQ("r1", build_id, "none", path, sha, orig), rep,
          "writable by group or others", 1);
  chmod(path, 0644);
  char junk[4200], jsha[65];
  snprintf(junk, sizeof junk, "%s/junk.so", dir);
  copy("/proc/self/cmdline", junk, 0644, jsha); /* not an ELF file */
  refused("not ELF", REQ("r1", build_id, "none", junk, jsha, orig), rep,
          "not an ELF file", 1);
  char nd[4200], ndsha[65];
  snprintf(nd, sizeof nd, "%s/nodep.so", dir);
  copy(nodep, nd, 0644, ndsha);
  refused("dlopen", REQ("r1", build_id, "none", nd, ndsha,
                        vfunc("value_v9", "original")), rep,
          "dlopen failed", 1);
  CHECK(strcmp(stack0, top_status()) == 0, "stack changed: %s", top_status());

  /* With a patch applied: wrong expectations are refused, value stays 2. */
  CHECK(REQ("r1", build_id, "none", path, sha, orig) == 0, "%s", rep);
  snapshot();
  refused("state when patched", REQ("r2", build_id, "r1", path, sha, orig),
          rep, "is patched by 'r1', the request expects original", 2);
  refused("parent when patched", REQ("r2", build_id, "none", path, sha,
                                     vfunc("value_v2", "patched:r1")),
          rep, "top of the patch stack is 'r1'", 2);
  refused("same file", REQ("r2", build_id, "r1", path, sha,
                           vfunc("value_v2", "patched:r1")),
          rep, "already loaded by patch 'r1'", 2);
  char hard[4200];
  snprintf(hard, sizeof hard, "%s/hardlink.so", dir);
  unlink(hard);
  CHECK(link(path, hard) == 0, "link");
  refused("same inode", REQ("r2", build_id, "r1", hard, sha,
                            vfunc("value_v2", "patched:r1")),
          rep, "same file (inode) as patch 'r1'", 2);
  CHECK(undo(rep) == 0, "%s", rep);
  snapshot();
  refused("reused id", REQ("r1", build_id, "none", path, sha, orig), rep,
          "already used", 1);
  if (!nfail)
    printf("refuse: ok\n");
  return nfail != 0;
}

/* ---- bench ---- */

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}
static int cmpd(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v) {
  qsort(v, 20, sizeof *v, cmpd);
  return (v[9] + v[10]) / 2;
}

/* Applies and undoes 20 ten-function patches; ids m<round>-<i>. */
static void bench_round(const char *src, int round, double *ta, double *tu) {
  char rep[HOTAST_RT_REPLY_MAX], funcs[2048], id[16], path[4200], sha[65];
  static char req[4096];
  int (*fs[10])(void) = {f0, f1, f2, f3, f4, f5, f6, f7, f8, f9};
  for (int i = 0; i < 20; i++) {
    size_t n = 0;
    for (int k = 0; k < 10; k++)
      n += (size_t)snprintf(funcs + n, sizeof funcs - n,
                            "func %lx f%d_new original\n", off(fs[k]), k);
    snprintf(id, sizeof id, "m%d-%d", round, i);
    snprintf(path, sizeof path, "%s/%s.so", dir, id);
    copy(src, path, 0644, sha); /* outside the timing, like a patch builder */
    snprintf(req, sizeof req,
             "apply\nid %s\nbuild-id %s\nparent none\nfile %s\nsha256 %s\n%s"
             "end\n", id, build_id, path, sha, funcs);
    double t0 = now_us();
    int rc = hotast_rt_apply(req, rep, sizeof rep);
    ta[i] = now_us() - t0;
    CHECK(rc == 0 && f3() == 103 && f9() == 109, "%s", rep);
    t0 = now_us();
    rc = hotast_rt_apply("undo", rep, sizeof rep);
    tu[i] = now_us() - t0;
    CHECK(rc == 0 && f3() == 3, "%s", rep);
  }
}

static int bench(const char *src) {
  double ta[20], tu[20], tm[20], td[20];
  char path[4200], sha[65];
  pthread_t t;
  read_status();
  bench_round(src, 0, ta, tu);
  printf("bench: first apply (fresh entries) %.0f us\n", ta[0]);
  printf("bench: apply 10 functions: median %.0f us (min %.0f, max %.0f); "
         "undo: median %.0f us\n", median(ta), ta[0], ta[19], median(tu));
  for (int i = 0; i < 20; i++) { /* what dlopen alone costs */
    snprintf(path, sizeof path, "%s/dl%d.so", dir, i);
    copy(src, path, 0644, sha);
    double t0 = now_us();
    CHECK(dlopen(path, RTLD_NOW | RTLD_LOCAL) != NULL, "dlopen %s", path);
    td[i] = now_us() - t0;
  }
  for (int i = 0; i < 20; i++) {
    double t0 = now_us();
    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
    tm[i] = now_us() - t0;
  }
  printf("bench: of which dlopen alone: median %.0f us; one membarrier "
         "(no other thread running): median %.1f us\n", median(td),
         median(tm));
  /* Again with one other thread spinning in a patched function. */
  pthread_create(&t, NULL, spin, (void *)(intptr_t)0);
  bench_round(src, 1, ta, tu);
  for (int i = 0; i < 20; i++) {
    double t0 = now_us();
    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
    tm[i] = now_us() - t0;
  }
  stop = 1;
  pthread_join(t, NULL);
  printf("bench: with a thread spinning: apply median %.0f us, undo median "
         "%.0f us, one membarrier median %.1f us\n", median(ta), median(tu),
         median(tm));
  if (!nfail)
    printf("bench: ok\n");
  return nfail != 0;
}

/* ---- disabled / nolisten / serve ---- */

static int disabled(const char *v2) {
  char rep[HOTAST_RT_REPLY_MAX];
  CHECK(hotast_rt_socket_path() == NULL, "socket path %s",
        hotast_rt_socket_path());
  read_status();
  CHECK(apply(rep, "d1", "none", v2, vfunc("value_v2", "original")) == 0,
        "%s", rep);
  CHECK(value() == 2, "value %d", value());
  if (!nfail)
    printf("disabled: ok\n");
  return nfail != 0;
}

static int nolisten(void) {
  char rep[HOTAST_RT_REPLY_MAX];
  CHECK(hotast_rt_socket_path() == NULL, "socket path %s",
        hotast_rt_socket_path());
  CHECK(hotast_rt_dir() == NULL, "dir %s", hotast_rt_dir());
  CHECK(rt(rep, "apply\nid n1\nbuild-id 00\nparent none\nfile /x\nsha256 "
                "%064d\nfunc %lx value_v2 original\nend\n", 0,
           (unsigned long)((uintptr_t)value - 0)) != 0, "%s", rep);
  if (!nfail)
    printf("nolisten: ok\n");
  return nfail != 0;
}

/* Makes membarrier fail with ENOSYS from now on, as a kernel without it or
 * a seccomp policy would. */
static void deny_membarrier(void) {
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_membarrier, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof f / sizeof *f, f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
    printf("FAIL seccomp: %s\n", strerror(errno));
    exit(1);
  }
}

/* Registered at startup, or not (HOTAST_RT_DISABLE=1): either way an apply
 * without a working membarrier is refused and changes nothing. */
static int nomembarrier(const char *v2) {
  char rep[HOTAST_RT_REPLY_MAX];
  read_status();
  snapshot();
  deny_membarrier();
  refused("no membarrier", apply(rep, "nm1", "none", v2,
                                 vfunc("value_v2", "original")),
          rep, "membarrier", 1);
  if (!nfail)
    printf("nomembarrier: ok (%s)\n", rep);
  return nfail != 0;
}

static void log_patch(void *user, const char *id) {
  fprintf(user, "callback %s\n", id);
  fflush(user);
}

static int serve(const char *logpath) {
  char stopf[4200];
  FILE *log = fopen(logpath, "w");
  const char *s = hotast_rt_socket_path();
  if (!log || !s)
    return 1;
  /* A fork child that exits must not remove the parent's socket. */
  pid_t k = fork();
  if (k == 0)
    exit(0);
  waitpid(k, NULL, 0);
  hotast_rt_on_patch(log_patch, log);
  snprintf(stopf, sizeof stopf, "%s.stop", logpath);
  fprintf(log, "value %d\n", value());
  fflush(log);
  printf("%s\n", s);
  fflush(stdout);
  int last = value();
  for (int i = 0; i < 15000 && access(stopf, F_OK) != 0; i++) {
    int v = early();
    if (v != last) {
      fprintf(log, "value %d\n", v);
      fflush(log);
      last = v;
    }
    usleep(1000);
  }
  fclose(log);
  return 0;
}

int main(int argc, char **argv) {
  const char *cmd = argc > 1 ? argv[1] : "";
  if (!strcmp(cmd, "basic") && argc == 4)
    return basic(argv[2], argv[3]);
  if (!strcmp(cmd, "stress") && argc == 4)
    return stress(argv[2], argv[3]);
  if (!strcmp(cmd, "refuse") && argc == 5)
    return refuse(argv[2], argv[3], argv[4]);
  if (!strcmp(cmd, "bench") && argc == 3)
    return bench(argv[2]);
  if (!strcmp(cmd, "disabled") && argc == 3)
    return disabled(argv[2]);
  if (!strcmp(cmd, "nomembarrier") && argc == 3)
    return nomembarrier(argv[2]);
  if (!strcmp(cmd, "nolisten"))
    return nolisten();
  if (!strcmp(cmd, "serve") && argc == 3)
    return serve(argv[2]);
  fprintf(stderr, "usage: see the comment at the top of host.c\n");
  return 2;
}
