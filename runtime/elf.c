/* elf.c - what the runtime needs to know from ELF.
 *
 * About the running executable (dl_iterate_phdr's first entry): its load
 * base, its NT_GNU_BUILD_ID (a request names the build it was made for), and
 * its executable segments (a `func` offset must point into one). About pages:
 * their current protection, read from /proc/self/maps so the patcher can put
 * back exactly what was there. About a patch file: whether its .dynsym
 * defines a FUNC of a given name, checked on the file's bytes before dlopen
 * so a bad patch is refused without running any of its constructors. Every
 * offset read from a file is bounds-checked (tests: "refuse: not an ELF",
 * "refuse: symbol missing"). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "rt_internal.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct exe_walk {
  struct rt_exe *x;
  int seen;
};

static void read_build_id(struct rt_exe *x, const unsigned char *p, size_t n,
                          size_t align) {
  while (n >= sizeof(Elf64_Nhdr)) {
    const Elf64_Nhdr *h = (const Elf64_Nhdr *)p;
    size_t name = (h->n_namesz + align - 1) & ~(align - 1);
    size_t desc = (h->n_descsz + align - 1) & ~(align - 1);
    if (name > n - sizeof *h || desc > n - sizeof *h - name)
      return;
    const unsigned char *d = p + sizeof *h + name;
    if (h->n_type == NT_GNU_BUILD_ID && h->n_namesz == 4 &&
        memcmp(p + sizeof *h, "GNU", 4) == 0 && h->n_descsz > 0 &&
        h->n_descsz <= 64) {
      for (size_t i = 0; i < h->n_descsz; i++) {
        x->build_id[2 * i] = "0123456789abcdef"[d[i] >> 4];
        x->build_id[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
      }
      x->build_id[2 * h->n_descsz] = 0;
      return;
    }
    p += sizeof *h + name + desc;
    n -= sizeof *h + name + desc;
  }
}

static int exe_cb(struct dl_phdr_info *info, size_t size, void *arg) {
  struct exe_walk *w = arg;
  (void)size;
  w->seen = 1;
  w->x->base = info->dlpi_addr;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_NOTE && !w->x->build_id[0])
      read_build_id(w->x, (const unsigned char *)lo, ph->p_memsz,
                    ph->p_align == 8 ? 8 : 4);
    if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && w->x->nexec < 8) {
      w->x->exec_lo[w->x->nexec] = lo;
      w->x->exec_hi[w->x->nexec++] = lo + ph->p_memsz;
    }
  }
  return 1; /* the first entry is the executable; stop there */
}

int rt_exe_read(struct rt_exe *x, struct rt_err *e) {
  struct exe_walk w = {x, 0};
  memset(x, 0, sizeof *x);
  dl_iterate_phdr(exe_cb, &w);
  if (!w.seen)
    return rt_fail(e, "dl_iterate_phdr reported no executable");
  return 0;
}

int rt_exe_contains(const struct rt_exe *x, uintptr_t lo, uintptr_t hi) {
  for (int i = 0; i < x->nexec; i++)
    if (lo >= x->exec_lo[i] && hi <= x->exec_hi[i] && lo < hi)
      return 1;
  return 0;
}

/* Parses "lo-hi rwxp" at the start of a /proc/self/maps line. */
static int parse_maps_line(const char *s, uintptr_t *lo, uintptr_t *hi,
                           int *prot) {
  uintptr_t v[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    int digits = 0;
    for (;; s++, digits++) {
      int c = *s, d = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                             : -1;
      if (d < 0)
        break;
      v[k] = v[k] << 4 | (uintptr_t)d;
    }
    if (!digits || *s++ != (k ? ' ' : '-'))
      return -1;
  }
  if (strlen(s) < 3)
    return -1;
  *lo = v[0];
  *hi = v[1];
  *prot = (s[0] == 'r' ? PROT_READ : 0) | (s[1] == 'w' ? PROT_WRITE : 0) |
          (s[2] == 'x' ? PROT_EXEC : 0);
  return 0;
}

int rt_page_prots(const uintptr_t *pages, int *prot, size_t n,
                  struct rt_err *e) {
  for (size_t i = 0; i < n; i++)
    prot[i] = -1;
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return rt_fail(e, "cannot open /proc/self/maps: %s", strerror(errno));
  /* Only the first 48 bytes of each line matter; the rest is skipped, so
   * any line length works with a fixed buffer. */
  char buf[4096], line[49];
  size_t ll = 0;
  ssize_t got;
  while ((got = read(fd, buf, sizeof buf)) > 0 ||
         (got < 0 && errno == EINTR)) {
    for (ssize_t i = 0; i < got; i++) {
      if (buf[i] != '\n') {
        if (ll < sizeof line - 1)
          line[ll++] = buf[i];
        continue;
      }
      line[ll] = 0;
      ll = 0;
      uintptr_t lo, hi;
      int p;
      if (parse_maps_line(line, &lo, &hi, &p) != 0)
        continue;
      for (size_t k = 0; k < n; k++)
        if (pages[k] >= lo && pages[k] < hi)
          prot[k] = p;
    }
  }
  int rerr = got < 0 ? errno : 0;
  close(fd);
  if (rerr)
    return rt_fail(e, "cannot read /proc/self/maps: %s", strerror(rerr));
  for (size_t k = 0; k < n; k++)
    if (prot[k] < 0)
      return rt_fail(e, "page %#lx is not in /proc/self/maps",
                     (unsigned long)pages[k]);
  return 0;
}

/* A section header, checked to lie inside the image. */
static const Elf64_Shdr *section(const unsigned char *img, size_t size,
                                 const Elf64_Ehdr *eh, size_t i) {
  if (i >= eh->e_shnum)
    return NULL;
  const Elf64_Shdr *sh =
      (const Elf64_Shdr *)(img + eh->e_shoff + i * sizeof(Elf64_Shdr));
  if (sh->sh_type != SHT_NOBITS &&
      (sh->sh_offset > size || sh->sh_size > size - sh->sh_offset))
    return NULL;
  return sh;
}

int rt_elf_has_func(const unsigned char *img, size_t size, const char *name,
                    size_t len, struct rt_err *e) {
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
  if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
    return rt_fail(e, "the patch file is not an ELF file");
  if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_type != ET_DYN ||
      eh->e_machine != EM_X86_64)
    return rt_fail(e, "the patch file is not an x86-64 ELF shared object");
  if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff % 8 ||
      eh->e_shoff > size ||
      (size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum)
    return rt_fail(e, "the patch file's section headers are out of bounds");
  const Elf64_Shdr *sym = NULL, *str = NULL;
  for (size_t i = 0; i < eh->e_shnum; i++) {
    const Elf64_Shdr *sh = section(img, size, eh, i);
    if (!sh)
      return rt_fail(e, "the patch file's section %zu is out of bounds", i);
    if (sh->sh_type == SHT_DYNSYM) {
      sym = sh;
      str = section(img, size, eh, sh->sh_link);
    }
  }
  if (!sym || !str || str->sh_type != SHT_STRTAB ||
      sym->sh_entsize != sizeof(Elf64_Sym) || sym->sh_offset % 8)
    return rt_fail(e, "the patch file has no usable .dynsym/.dynstr");
  const Elf64_Sym *s = (const Elf64_Sym *)(img + sym->sh_offset);
  const char *strtab = (const char *)(img + str->sh_offset);
  for (size_t i = 0; i < sym->sh_size / sizeof *s; i++) {
    if (s[i].st_name >= str->sh_size || len >= str->sh_size - s[i].st_name)
      continue;
    const char *n = strtab + s[i].st_name;
    if (memcmp(n, name, len) != 0 || n[len] != 0)
      continue;
    int bind = ELF64_ST_BIND(s[i].st_info);
    if (ELF64_ST_TYPE(s[i].st_info) == STT_FUNC &&
        s[i].st_shndx != SHN_UNDEF && (bind == STB_GLOBAL || bind == STB_WEAK))
      return 0;
  }
  return rt_fail(e,
                 "symbol '%.*s' is not a defined function in the patch's "
                 ".dynsym",
                 (int)(len > 200 ? 200 : len), name);
}
