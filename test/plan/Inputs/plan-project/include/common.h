// Helpers every unit includes.
#pragma once
inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
inline int twice(int x) { return 2 * x; }
