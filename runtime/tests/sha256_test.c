/* sha256_test.c - known-answer vectors for runtime/sha256.c (FIPS 180-4
 * examples and the NIST one-million-'a' message), fed whole and in odd-sized
 * pieces so every buffering path of rt_sha256_update runs. */
#include "../rt_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failed;

static void hex(const unsigned char d[32], char out[65]) {
  for (int i = 0; i < 32; i++)
    snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check(const char *what, const unsigned char *msg, size_t n,
                  const char *want) {
  char got[65];
  rt_sha256_hex(msg, n, got);
  if (strcmp(got, want) != 0) {
    printf("FAIL sha256 %s: got %s want %s\n", what, got, want);
    failed++;
  }
  /* The same message in pieces of 1, 3, 63, 64, 65, ... bytes. */
  static const size_t steps[] = {1, 3, 55, 56, 63, 64, 65, 127, 4096};
  for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
    struct rt_sha256 st;
    unsigned char d[32];
    rt_sha256_init(&st);
    for (size_t off = 0; off < n; off += steps[s])
      rt_sha256_update(&st, msg + off, n - off < steps[s] ? n - off : steps[s]);
    rt_sha256_final(&st, d);
    hex(d, got);
    if (strcmp(got, want) != 0) {
      printf("FAIL sha256 %s in %zu-byte pieces: got %s\n", what, steps[s],
             got);
      failed++;
    }
  }
}

int main(void) {
  check("empty", (const unsigned char *)"", 0,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  check("abc", (const unsigned char *)"abc", 3,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  check("448-bit", (const unsigned char *)m448, strlen(m448),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  unsigned char *mb = malloc(1000000);
  if (!mb)
    return 1;
  memset(mb, 'a', 1000000);
  check("1,000,000 x 'a'", mb, 1000000,
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  free(mb);
  printf("%s\n", failed ? "sha256: FAILED" : "sha256: ok");
  return failed != 0;
}
