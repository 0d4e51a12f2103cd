// Shared by every translation unit of the project.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace robust {
/// A value with the name it was read under.
struct Sample {
  std::string Name;
  double Value = 0;
};
inline constexpr std::size_t MaxSamples = 64;
} // namespace robust
