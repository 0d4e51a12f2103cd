// Build-wide settings: macros, enumerations, options.
#pragma once

#define SMALL_BUFFER_SIZE 64
#define SMALL_SCALE(x) ((x) * 3)
#define SMALL_VERSION 0x0102

namespace small {
enum class Unit { Millimetre, Centimetre, Metre };
enum Level { kQuiet, kNormal, kVerbose = 4 };

struct Options {
  int Width = 80;
  Level Verbosity = kNormal;
  bool Colour = false;
};

inline int clampTo(int V, int Lo = 0, int Hi = 100) {
  if (V < Lo)
    return Lo;
  return V > Hi ? Hi : V;
}

inline int scaleFor(Unit U) {
  switch (U) {
  case Unit::Millimetre:
    return 1;
  case Unit::Centimetre:
    return 10;
  case Unit::Metre:
    return 1000;
  }
  return 0;
}
} // namespace small
