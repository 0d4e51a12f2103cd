// A small bundled example for `utils/demo.sh`.
// This version only changes what never reaches the object file.
#include <cmath>

struct Point { double x; double y; };

/// The unit of every length we report.
constexpr double Scale = 0x10;

double length(Point v) { return std::sqrt((v.x * v.x) + (v.y * v.y)); }

double perimeter(const Point *points, int count, bool closed = true) {
  double sum = 0;   // running total
  for (int k = 0; k + 1 < count; ++k) {
    Point step{points[k + 1].x - points[k].x,
               points[k + 1].y - points[k].y};
    sum += length(step);
  }
  if (closed && count > 1) {
    Point step{points[0].x - points[count - 1].x, points[0].y - points[count - 1].y};
    sum += length(step);
  }
  return sum * Scale;
}
