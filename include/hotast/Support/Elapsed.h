//===- Elapsed.h - Milliseconds since a moment -------------------*- C++ -*-===//
//
// The times hotast reports (the decision log's steps, a reload's phases,
// a watch's rebuild) are wall-clock milliseconds of the steady clock.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_ELAPSED_H
#define HOTAST_SUPPORT_ELAPSED_H

#include <chrono>

namespace hotast {

/// Milliseconds of the steady clock since T.
inline double msSince(std::chrono::steady_clock::time_point T) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - T).count();
}

} // namespace hotast

#endif
