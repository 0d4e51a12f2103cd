#include "shapes.h"

namespace robust {
double totalArea(const std::vector<Rect> &Rects) {
  double Sum = 0;
  for (const Rect &R : Rects)
    Sum += R.area();
  return Sum;
}
} // namespace robust
