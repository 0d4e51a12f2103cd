#include "shapes.h"
#include <cstdio>
int main() {
  Shape s{3, 4};
  std::printf("%d %d\n", area(s), clamped(250));
  return area(s) == 12 ? 0 : 1;
}
