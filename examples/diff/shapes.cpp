// A small bundled example for `utils/demo.sh`.
#include <cmath>

struct Point {
  double x;
  double y;
};

constexpr double Scale = 16;

double length(Point p) {
  return std::sqrt(p.x * p.x + p.y * p.y);
}

double perimeter(const Point *pts, int n, bool closed = true) {
  double total = 0;
  for (int i = 0; i + 1 < n; ++i) {
    Point d{pts[i + 1].x - pts[i].x, pts[i + 1].y - pts[i].y};
    total += length(d);
  }
  if (closed && n > 1) {
    Point d{pts[0].x - pts[n - 1].x, pts[0].y - pts[n - 1].y};
    total += length(d);
  }
  return total * Scale;
}
