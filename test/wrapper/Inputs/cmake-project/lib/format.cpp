#include "common.h"
#include "shapes.h"
#include <sstream>

namespace robust {
std::string describe(const Sample &S) {
  std::ostringstream OS;
  OS << S.Name << '=' << S.Value;
  return OS.str();
}
} // namespace robust
