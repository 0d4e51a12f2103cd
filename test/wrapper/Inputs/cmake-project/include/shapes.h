#pragma once
#include "common.h"

namespace robust {
struct Rect {
  double W = 0, H = 0;
  double area() const { return W * H; }
};
double totalArea(const std::vector<Rect> &Rects);
double mean(const std::vector<Sample> &Samples);
std::string describe(const Sample &S);
} // namespace robust
