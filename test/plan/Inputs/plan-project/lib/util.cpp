#include "common.h"
int clamped(int v) { return clampi(v, 0, 100); }
