//===- CheckoutIndependence.h - Objects other checkouts may use -*- C++ -*-===//
//
// A direct-mode entry is shared with other checkouts (through the remote
// cache) only when no path of this checkout reaches what it replays. The
// paths that can reach an object: diagnostics (stderr), debug info (the
// compilation directory and every file name, rewritten by the debug prefix
// maps), __FILE__ and std::source_location (file names, rewritten by the
// macro prefix maps), LTO bitcode's source_filename (the source as named).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_WRAPPER_CHECKOUTINDEPENDENCE_H
#define HOTAST_LIB_WRAPPER_CHECKOUTINDEPENDENCE_H

#include "hotast/Compile/InProcess.h"
#include "hotast/Support/PortablePaths.h"
#include "hotast/Args/CompileCommand.h"
#include <string>

namespace hotast {

/// Why Out's object (and stderr) could differ in another checkout whose
/// keys equal this one's; empty when it cannot.
std::string checkoutDependence(const CompileOutcome &Out, const CompileCommand &Cmd,
                               const PortablePaths &Paths);

} // namespace hotast

#endif
