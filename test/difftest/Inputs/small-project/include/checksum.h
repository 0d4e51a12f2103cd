/* Checksums, in C: read by checksum.c and by main.cpp. */
#ifndef SMALL_CHECKSUM_H
#define SMALL_CHECKSUM_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CHECKSUM_SEED 5381u

enum checksum_kind { CHECKSUM_DJB2, CHECKSUM_SUM, CHECKSUM_XOR };

struct checksum_state {
  unsigned long value;
  size_t length;
};

unsigned long checksum(const char *data, size_t length, enum checksum_kind kind);

static inline unsigned long checksum_mix(unsigned long a, unsigned long b) {
  return (a << 5) + a + b;
}

#ifdef __cplusplus
}
#endif
#endif
