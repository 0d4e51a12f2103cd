// A header all three translation units include.
#pragma once

struct Vec {
  double x, y;
};

inline double dot(Vec a, Vec b) { return a.x * b.x + a.y * b.y; }

// Only area.cpp calls this one.
inline double cross(Vec a, Vec b) { return a.x * b.y - a.y * b.x; }
