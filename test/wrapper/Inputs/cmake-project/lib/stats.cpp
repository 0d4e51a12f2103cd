#include "shapes.h"
#include <numeric>

namespace robust {
double mean(const std::vector<Sample> &Samples) {
  if (Samples.empty())
    return 0;
  double Sum = std::accumulate(Samples.begin(), Samples.end(), 0.0,
                               [](double A, const Sample &S) { return A + S.Value; });
  return Sum / double(Samples.size());
}
} // namespace robust
