#pragma once
#include "common.h"
struct Shape {
  int w, h;
};
int area(const Shape &s);
int clamped(int v);
