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

/// Milliseconds of the steady clock from From to To.
inline double msBetween(std::chrono::steady_clock::time_point From,
                        std::chrono::steady_clock::time_point To) {
  return std::chrono::duration<double, std::milli>(To - From).count();
}

/// Milliseconds of the steady clock since T.
inline double msSince(std::chrono::steady_clock::time_point T) {
  return msBetween(T, std::chrono::steady_clock::now());
}

} // namespace hotast

#endif
