// Points and rectangles; every C++ unit but stats.cpp reads this header.
#pragma once
#include "config.h"

namespace small {
struct Point {
  int X = 0;
  int Y = 0;
  int manhattan() const { return (X < 0 ? -X : X) + (Y < 0 ? -Y : Y); }
};

struct Rect {
  Point Origin;
  int W = 0, H = 0;
  int area() const { return W * H; }
  int perimeter() const { return 2 * (W + H); }
  bool contains(Point P) const {
    return P.X >= Origin.X && P.Y >= Origin.Y && P.X < Origin.X + W && P.Y < Origin.Y + H;
  }
};

template <typename T> T maxOf(T A, T B) { return A < B ? B : A; }

Rect unite(const Rect &A, const Rect &B);
int distance(Point A, Point B, Unit U = Unit::Millimetre);
Rect grow(const Rect &R, int By = 1);
} // namespace small
