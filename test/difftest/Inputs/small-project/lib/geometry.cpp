#include "geometry.h"

namespace small {
namespace {
int absolute(int V) { return V < 0 ? -V : V; }
} // namespace

Rect unite(const Rect &A, const Rect &B) {
  int left = A.Origin.X < B.Origin.X ? A.Origin.X : B.Origin.X;
  int top = A.Origin.Y < B.Origin.Y ? A.Origin.Y : B.Origin.Y;
  int right = maxOf(A.Origin.X + A.W, B.Origin.X + B.W);
  int bottom = maxOf(A.Origin.Y + A.H, B.Origin.Y + B.H);
  Rect result;
  result.Origin = Point{left, top};
  result.W = right - left;
  result.H = bottom - top;
  return result;
}

int distance(Point A, Point B, Unit U) {
  int dx = absolute(A.X - B.X);
  int dy = absolute(A.Y - B.Y);
  return (dx + dy) * scaleFor(U);
}

Rect grow(const Rect &R, int By) {
  Rect out = R;
  out.Origin.X -= By;
  out.Origin.Y -= By;
  out.W += 2 * By;
  out.H += 2 * By;
  return out;
}
} // namespace small
