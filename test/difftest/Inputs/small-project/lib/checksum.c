#include "checksum.h"

static unsigned long djb2(const char *data, size_t length) {
  unsigned long hash = CHECKSUM_SEED;
  for (size_t i = 0; i < length; ++i)
    hash = checksum_mix(hash, (unsigned char)data[i]);
  return hash;
}

static unsigned long plain_sum(const char *data, size_t length) {
  unsigned long sum = 0;
  for (size_t i = 0; i < length; ++i)
    sum += (unsigned char)data[i];
  return sum & 0xffff;
}

unsigned long checksum(const char *data, size_t length, enum checksum_kind kind) {
  unsigned long x = 0;
  switch (kind) {
  case CHECKSUM_DJB2:
    return djb2(data, length);
  case CHECKSUM_SUM:
    return plain_sum(data, length);
  case CHECKSUM_XOR:
    for (size_t i = 0; i < length; ++i)
      x ^= (unsigned long)(unsigned char)data[i] << (8 * (i % 4));
    return x;
  }
  return 0;
}
