#include "common.h"
#include "shapes.h"
#include <cstdio>

int main() {
  std::vector<robust::Rect> Rects = {{2, 3}, {4, 5}};
  std::vector<robust::Sample> Samples = {{"a", 1}, {"b", 2}, {"c", 6}};
  std::printf("area %g mean %g %s\n", robust::totalArea(Rects), robust::mean(Samples),
              robust::describe(Samples.back()).c_str());
  return Samples.size() <= robust::MaxSamples ? 0 : 1;
}
