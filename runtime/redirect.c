/* redirect.c - redirect live function entries, x86-64 Linux only.
 *
 * The program is built with -fpatchable-function-entry=18,16, so clang puts
 * 16 one-byte NOPs (0x90) before each entry F and the 2-byte NOP `66 90` at
 * F (checked with objdump on clang 19; gcc puts `90 90` at F, which we
 * refuse: a thread between those two NOPs would decode half of our jump).
 *
 *   F-16  FF 25 02 00 00 00   jmp *[rip+2]       the trampoline, written
 *   F-10  CC CC               never executed     while nothing can run it
 *   F-8   <8-byte target>     aligned: one atomic store retargets it
 *   F     EB EE               jmp F-16           one atomic 2-byte store
 *
 * Every write a running thread could fetch is one aligned atomic store that
 * turns one whole instruction into another whole instruction, and it comes
 * after a membarrier(PRIVATE_EXPEDITED_SYNC_CORE) that makes every thread of
 * the process serialize its instruction fetch, so no thread decodes a
 * half-written instruction (RELOAD-NOTES: a 14-byte jump written over a live
 * entry crashed 10 of 10 runs; test "stress" guards this).
 *
 * Undo does not put the padding back to 16 NOPs. A thread may have taken
 * `jmp F-16` just before the entry went back to `66 90` and be interrupted
 * at F-16; if the padding became a NOP sled, that thread could later sit
 * anywhere in it while a new patch rewrites it. So undo leaves `EB 0E` (jmp
 * F) at F-16 and NOPs behind it: the only instruction ever reachable in the
 * padding is the one at F-16. Such an entry ("restored") counts as original;
 * re-patching it writes F-14..F-1, then membarrier, then `FF 25` at F-16 with
 * one atomic store (test "basic" re-applies after undo).
 *
 * Pages are made RWX only while writing (never RW: other threads may be
 * executing on them) and then get back the protection /proc/self/maps gave.
 *
 * Without membarrier SYNC_CORE (old kernel, seccomp) there is no fallback:
 * every apply and undo is refused, and a failure of the first membarrier of
 * an apply puts the padding back before refusing (test "no membarrier"). An
 * mprotect TLB shootdown would interrupt only the CPUs whose TLB may hold the
 * page, which is not a documented promise to serialise every thread. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "rt_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__x86_64__) && defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>

static int membarrier_ready;

int rt_redirect_init(struct rt_err *e) {
  if (membarrier_ready)
    return 0;
  long q = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
  if (q < 0 || !(q & MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE))
    return rt_fail(e,
                   "membarrier SYNC_CORE is not available (%s): refusing to "
                   "modify code other threads may be running",
                   q < 0 ? strerror(errno) : "not supported by the kernel");
  if (syscall(SYS_membarrier,
              MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0) != 0)
    return rt_fail(e, "membarrier SYNC_CORE registration failed (%s)",
                   strerror(errno));
  membarrier_ready = 1;
  return 0;
}

static int sync_cores(void) {
  return (int)syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE,
                      0, 0);
}

static const unsigned char nops[16] = {0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
                                       0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
                                       0x90, 0x90, 0x90, 0x90};
static const unsigned char tramp[8] = {0xFF, 0x25, 0x02, 0x00,
                                       0x00, 0x00, 0xCC, 0xCC};
/* Little-endian 2-byte instructions. */
enum { ENTRY_NOP = 0x9066, JMP_BACK = 0xEEEB, JMP_OVER = 0x0EEB, JMP_IND = 0x25FF };

static void store16(uintptr_t a, uint16_t v) {
  __atomic_store_n((uint16_t *)a, v, __ATOMIC_SEQ_CST);
}

enum rt_entry_state rt_entry_state(uintptr_t f, uintptr_t *target) {
  const unsigned char *p = (const unsigned char *)f;
  if (p[0] == 0x66 && p[1] == 0x90) {
    if (memcmp(p - 16, nops, 16) == 0)
      return RT_ENTRY_ORIGINAL;
    if (p[-16] == 0xEB && p[-15] == 0x0E && memcmp(p - 14, nops, 14) == 0)
      return RT_ENTRY_RESTORED;
  } else if (p[0] == 0xEB && p[1] == 0xEE && memcmp(p - 16, tramp, 8) == 0) {
    *target = __atomic_load_n((const uint64_t *)(f - 8), __ATOMIC_SEQ_CST);
    return RT_ENTRY_REDIRECTED;
  }
  return RT_ENTRY_UNKNOWN;
}

static int cmp_page(const void *a, const void *b) {
  uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
  return x < y ? -1 : x > y;
}

int rt_redirect(const struct rt_change *c, size_t n, struct rt_err *e,
                struct rt_err *warn) {
  if (rt_redirect_init(e) != 0)
    return -1;
  /* Last check of the bytes, right before writing: nothing is written unless
   * every entry is exactly where the caller believes it is. */
  for (size_t i = 0; i < n; i++) {
    uintptr_t t = 0;
    enum rt_entry_state s = rt_entry_state(c[i].entry, &t);
    int ok = c[i].from ? s == RT_ENTRY_REDIRECTED && t == c[i].from
                       : (s == RT_ENTRY_ORIGINAL || s == RT_ENTRY_RESTORED) &&
                             c[i].to;
    if (!ok)
      return rt_fail(e, "the bytes at entry %#lx are not in the expected state",
                     (unsigned long)c[i].entry);
  }

  long psz = sysconf(_SC_PAGESIZE);
  uintptr_t *pages = malloc(n * 2 * sizeof *pages);
  int *prot = malloc(n * 2 * sizeof *prot);
  if (!pages || !prot) {
    free(pages);
    free(prot);
    return rt_fail(e, "out of memory");
  }
  size_t np = 0;
  for (size_t i = 0; i < n; i++) {
    pages[np++] = (c[i].entry - 16) & ~(uintptr_t)(psz - 1);
    pages[np++] = (c[i].entry + 1) & ~(uintptr_t)(psz - 1);
  }
  qsort(pages, np, sizeof *pages, cmp_page);
  size_t u = 0;
  for (size_t i = 0; i < np; i++)
    if (!u || pages[u - 1] != pages[i])
      pages[u++] = pages[i];
  np = u;
  size_t opened = 0;
  int rc = rt_page_prots(pages, prot, np, e);
  for (; rc == 0 && opened < np; opened++)
    if (mprotect((void *)pages[opened], (size_t)psz,
                 PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
      rc = rt_fail(e, "mprotect(RWX) of page %#lx failed: %s",
                   (unsigned long)pages[opened], strerror(errno));
  if (rc != 0)
    goto restore;

  /* 1. Trampoline bodies of entries redirected for the first time. Nothing
   * can execute these bytes yet (see the file comment). */
  int fresh = 0, restored = 0, undo = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char *p = (unsigned char *)c[i].entry;
    if (c[i].from)
      continue;
    uintptr_t t;
    if (rt_entry_state(c[i].entry, &t) == RT_ENTRY_ORIGINAL) {
      memcpy(p - 16, tramp, 8);
      fresh++;
    } else {
      memcpy(p - 14, tramp + 2, 6);
      restored++;
    }
    __atomic_store_n((uint64_t *)(p - 8), (uint64_t)c[i].to, __ATOMIC_SEQ_CST);
  }
  if ((fresh || restored) && sync_cores() != 0) {
    /* Nothing reachable changed yet: put the padding back and refuse. */
    for (size_t i = 0; i < n; i++)
      if (!c[i].from && ((unsigned char *)c[i].entry)[-16] == 0xFF)
        memcpy((void *)(c[i].entry - 16), nops, 16);
      else if (!c[i].from)
        memcpy((void *)(c[i].entry - 14), nops, 14);
    rc = rt_fail(e, "membarrier SYNC_CORE failed (%s); nothing was changed",
                 strerror(errno));
    goto restore;
  }
  /* 2. Restored entries: `jmp F` at F-16 becomes `jmp *[rip+2]`. */
  for (size_t i = 0; i < n; i++)
    if (!c[i].from && ((unsigned char *)c[i].entry)[-16] == 0xEB)
      store16(c[i].entry - 16, JMP_IND);
  if (restored && sync_cores() != 0)
    rt_fail(warn, "membarrier failed after writing trampolines: %s",
            strerror(errno));
  /* 3. The flip: every entry changes with one atomic store. */
  for (size_t i = 0; i < n; i++) {
    if (!c[i].from)
      store16(c[i].entry, JMP_BACK);
    else if (c[i].to)
      __atomic_store_n((uint64_t *)(c[i].entry - 8), (uint64_t)c[i].to,
                       __ATOMIC_SEQ_CST);
    else {
      store16(c[i].entry, ENTRY_NOP);
      undo++;
    }
  }
  if (sync_cores() != 0)
    rt_fail(warn, "membarrier failed after the flip: %s", strerror(errno));
  /* 4. Undone entries: the only reachable padding instruction (F-16) becomes
   * `jmp F`, then the bytes behind it, now unreachable, become NOPs. */
  for (size_t i = 0; i < n; i++)
    if (!c[i].to)
      store16(c[i].entry - 16, JMP_OVER);
  if (undo && sync_cores() != 0)
    rt_fail(warn, "membarrier failed after undo: %s", strerror(errno));
  for (size_t i = 0; i < n; i++)
    if (!c[i].to)
      memcpy((void *)(c[i].entry - 14), nops, 14);

restore:
  for (size_t i = 0; i < opened; i++)
    if (mprotect((void *)pages[i], (size_t)psz, prot[i]) != 0)
      rt_fail(rc ? e : warn, "could not restore the protection of page %#lx: %s",
              (unsigned long)pages[i], strerror(errno));
  free(pages);
  free(prot);
  return rc;
}

#else /* not x86-64 Linux: fail closed */

int rt_redirect_init(struct rt_err *e) {
  return rt_fail(e, "hot patching is supported on x86-64 Linux only");
}
enum rt_entry_state rt_entry_state(uintptr_t f, uintptr_t *target) {
  (void)f;
  (void)target;
  return RT_ENTRY_UNKNOWN;
}
int rt_redirect(const struct rt_change *c, size_t n, struct rt_err *e,
                struct rt_err *warn) {
  (void)c;
  (void)n;
  (void)warn;
  return rt_redirect_init(e);
}

#endif
