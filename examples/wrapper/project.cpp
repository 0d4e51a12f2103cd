#include "geometry.h"
double project(Vec v, Vec onto) { return dot(v, onto) / dot(onto, onto); }
