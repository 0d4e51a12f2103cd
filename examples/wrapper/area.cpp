#include "geometry.h"
double area(Vec a, Vec b) { return cross(a, b) / 2; }
