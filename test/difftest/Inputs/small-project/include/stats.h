#pragma once
#include <vector>

namespace small {
struct Summary {
  long Count = 0;
  long Sum = 0;
  int Min = 0, Max = 0;
};

Summary summarize(const std::vector<int> &Values);
double mean(const Summary &S, double Empty = 0.0);
inline long total(const Summary &S) { return S.Sum; }
} // namespace small
