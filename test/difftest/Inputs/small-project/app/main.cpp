#include <cstdio>
#include <cstring>
#include "checksum.h"
#include "geometry.h"
#include "stats.h"

int report(const small::Rect &R);

int main(int argc, char **argv) {
  small::Rect a{{0, 0}, 4, 3};
  small::Rect b{{2, 1}, 5, 5};
  small::Rect u = small::unite(a, b);
  std::vector<int> values = {3, 1, 4, 1, 5, 9, 2, 6};
  small::Summary s = small::summarize(values);
  const char *text = argc > 1 ? argv[1] : "small";
  unsigned long sum = checksum(text, std::strlen(text), CHECKSUM_DJB2);
  std::printf("area %d distance %d mean %.2f checksum %lu\n", u.area(),
              small::distance(a.Origin, b.Origin), small::mean(s), sum);
  return report(small::grow(u)) > 0 ? 0 : 1;
}
