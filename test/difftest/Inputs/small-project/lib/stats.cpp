#include "stats.h"
#include "config.h"

namespace small {
Summary summarize(const std::vector<int> &Values) {
  Summary s;
  bool first = true;
  for (int v : Values) {
    s.Count += 1;
    s.Sum += v;
    if (first || v < s.Min)
      s.Min = v;
    if (first || v > s.Max)
      s.Max = v;
    first = false;
  }
  return s;
}

double mean(const Summary &S, double Empty) {
  if (S.Count == 0)
    return Empty;
  return double(S.Sum) / double(S.Count);
}
} // namespace small
