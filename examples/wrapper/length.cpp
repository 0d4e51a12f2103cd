#include "geometry.h"
#include <cmath>
double length(Vec v) { return std::sqrt(dot(v, v)); }
