#include "common.h"
#include <cstdio>
int main() {
  std::printf("%d\n", twice(21));
  return twice(21) == 42 ? 0 : 1;
}
