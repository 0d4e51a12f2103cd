/* rt_internal.h - declarations shared by the files of libhotast-rt.so.
 *
 * sha256.c   SHA-256 of a patch file (checked against the request).
 * elf.c      facts about the running executable (build id, load base,
 *            executable segments, page protections) and a bounds-checked
 *            lookup in a patch file's .dynsym.
 * redirect.c the byte-level patching of function entries.
 * protocol.c the requests (status, apply, undo) and the patch stack.
 * hotast_rt.c private directory, socket listener, constructor, public API.
 *
 * Nothing here is exported: the library is built with -fvisibility=hidden.
 * Errors travel as a short English sentence written into a caller's buffer
 * (struct rt_err); nothing exits or aborts, and the only output is one
 * stderr line from the constructor when the listener cannot start. */
#ifndef HOTAST_RT_INTERNAL_H
#define HOTAST_RT_INTERNAL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

struct rt_err {
  char msg[400];
};
/* printf-style; keeps the first error set. Returns -1 so callers can write
 * `return rt_fail(e, ...)`. */
int rt_fail(struct rt_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* sha256.c */
struct rt_sha256 {
  uint32_t h[8];
  uint64_t len;
  unsigned char buf[64];
  size_t used;
};
void rt_sha256_init(struct rt_sha256 *s);
void rt_sha256_update(struct rt_sha256 *s, const void *data, size_t n);
void rt_sha256_final(struct rt_sha256 *s, unsigned char out[32]);
/* out gets 64 lowercase hex digits and a NUL. */
void rt_sha256_hex(const void *data, size_t n, char out[65]);

/* elf.c: the main executable, as dl_iterate_phdr's first entry sees it. */
struct rt_exe {
  uintptr_t base;          /* load base (dlpi_addr) */
  char build_id[129];      /* lowercase hex, "" when there is no note */
  int nexec;               /* executable PT_LOAD segments */
  uintptr_t exec_lo[8], exec_hi[8];
};
int rt_exe_read(struct rt_exe *x, struct rt_err *e);
/* 1 when [lo, hi) lies inside one executable segment. */
int rt_exe_contains(const struct rt_exe *x, uintptr_t lo, uintptr_t hi);
/* Fills prot[i] (PROT_* bits) for each page in the sorted pages[0..n) from
 * /proc/self/maps. */
int rt_page_prots(const uintptr_t *pages, int *prot, size_t n,
                  struct rt_err *e);
/* Checks that image[0..size) is an x86-64 ELF shared object whose .dynsym
 * holds a defined FUNC named name[0..len). */
int rt_elf_has_func(const unsigned char *image, size_t size, const char *name,
                    size_t len, struct rt_err *e);

/* redirect.c */
int rt_redirect_init(struct rt_err *e); /* membarrier registration */
/* The state an entry is in, judged from its bytes alone. */
enum rt_entry_state {
  RT_ENTRY_ORIGINAL,   /* 66 90 at F, padding as the compiler wrote it */
  RT_ENTRY_RESTORED,   /* 66 90 at F, padding EB 0E + 14 NOPs (after undo) */
  RT_ENTRY_REDIRECTED, /* EB EE at F, our trampoline in the padding */
  RT_ENTRY_UNKNOWN
};
enum rt_entry_state rt_entry_state(uintptr_t entry, uintptr_t *target);
/* One change of one entry: to == 0 means back to the original code. */
struct rt_change {
  uintptr_t entry;
  uintptr_t from; /* current target, 0 when not redirected */
  uintptr_t to;
};
/* Applies all changes as one unit, after re-checking every entry's bytes
 * against .from. On error nothing was written. *warn gets a sentence (or
 * stays "") when a page's protection could not be restored afterwards. */
int rt_redirect(const struct rt_change *c, size_t n, struct rt_err *e,
                struct rt_err *warn);

/* protocol.c. rt_handle and rt_add_callback take the lock themselves;
 * rt_lock/rt_unlock do nothing on a thread inside a callback (it holds it). */
int rt_handle(const char *req, size_t len, char *reply, size_t cap);
int rt_error_reply(char *reply, size_t cap, const char *msg);
void rt_lock(void);
void rt_unlock(void);
int rt_add_callback(void (*fn)(void *, const char *), void *user);

/* snapshot.c (the caller of rt_snapshot_write holds the lock) */
struct rt_snapshot {
  char path[4096];
  char id[64];
  char sha256[65];
  long long created;
  size_t size;
};
int rt_set_snapshot(int (*fn)(void *, const void **, size_t *), void *user);
int rt_snapshot_registered(void);
int rt_snapshot_write(struct rt_snapshot *s, struct rt_err *e);
int rt_snapshot_restore(int (*fn)(void *, const void *, size_t), void *user);

/* hotast_rt.c. rt_dir is ${XDG_RUNTIME_DIR:-/tmp}/hotast-<euid> once
 * rt_ensure_dir has run; the caller holds the lock. */
extern char rt_dir[];
int rt_ensure_dir(struct rt_err *e);

#endif
