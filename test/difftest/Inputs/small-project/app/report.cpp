#include <cstdio>
#include "geometry.h"

int report(const small::Rect &R) {
  char buffer[SMALL_BUFFER_SIZE];
  int n = std::snprintf(buffer, sizeof buffer, "rect %dx%d at (%d, %d), version %d", R.W, R.H,
                        R.Origin.X, R.Origin.Y, SMALL_VERSION);
  std::puts(buffer);
  return n;
}
