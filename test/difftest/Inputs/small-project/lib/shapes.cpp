#include "config.h"
#include "geometry.h"

namespace small {
static int border(const Options &O) { return O.Colour ? 2 : 1; }

static int columns(const Options &O) {
  int width = clampTo(O.Width, 10, 200);
  return width - 2 * border(O);
}

int layout(const Options &O, const Rect &R) {
  int cols = columns(O);
  int rows = SMALL_SCALE(R.H) / 8;
  if (O.Verbosity >= kVerbose)
    rows += 1;
  return cols * rows + R.area();
}

int describeLevel(Level L) {
  switch (L) {
  case kQuiet:
    return 0;
  case kNormal:
    return 1;
  default:
    return 2;
  }
}
} // namespace small
