# Finds everything hotast builds and tests against: LLVM/Clang 19 (their CMake packages),
# xxHash, SQLite, GoogleTest, and the test tools (lit, FileCheck, not, split-file). A missing piece
# stops configure with the Debian packages that provide it.

set(HOTAST_LLVM_ROOT "/usr/lib/llvm-19" CACHE PATH "Prefix of LLVM/Clang 19")

# Debian ships 19.1.7, and LLVM's version file compares major.minor: ask for 19.1.
find_package(LLVM 19.1 CONFIG HINTS "${HOTAST_LLVM_ROOT}/lib/cmake/llvm")
if(NOT LLVM_FOUND)
  message(FATAL_ERROR "LLVM 19 not found. Install it with:\n"
    "  apt-get install llvm-19-dev libclang-19-dev libclang-cpp19-dev clang-19 llvm-19-tools")
endif()
find_package(Clang CONFIG HINTS "${LLVM_DIR}/../clang" "${HOTAST_LLVM_ROOT}/lib/cmake/clang")
if(NOT Clang_FOUND OR NOT TARGET clang-cpp)
  message(FATAL_ERROR "Clang 19 (libclang-cpp) not found. Install it with:\n"
    "  apt-get install libclang-19-dev libclang-cpp19-dev clang-19")
endif()
# lld's ELF linker as a library: hot reload links its patches in process.
find_package(LLD CONFIG HINTS "${LLVM_DIR}/../lld" "${HOTAST_LLVM_ROOT}/lib/cmake/lld")
if(NOT LLD_FOUND OR NOT TARGET lldELF)
  message(FATAL_ERROR "lld 19 (its libraries) not found. Install it with:\n"
    "  apt-get install liblld-19-dev")
endif()
include_directories(SYSTEM ${LLD_INCLUDE_DIRS})
message(STATUS "Using LLVM ${LLVM_PACKAGE_VERSION} from ${LLVM_DIR}")

# The wrapper's front program links LLVM's static Support library, whose link
# interface names zstd::libzstd_shared. LLVMConfig defines that target only when
# zstd's development files are installed; the runtime library is enough to link.
if(NOT TARGET zstd::libzstd_shared)
  find_library(HOTAST_ZSTD_LIBRARY NAMES zstd libzstd.so.1)
  if(NOT HOTAST_ZSTD_LIBRARY)
    message(FATAL_ERROR "zstd not found. Install it with: apt-get install libzstd-dev")
  endif()
  add_library(zstd::libzstd_shared UNKNOWN IMPORTED)
  set_target_properties(zstd::libzstd_shared PROPERTIES IMPORTED_LOCATION "${HOTAST_ZSTD_LIBRARY}")
endif()

# The clang binary of the same version: hotast's parser stands in for it, so its resource
# directory (builtin headers) and toolchain detection must be that clang's.
find_program(HOTAST_CLANG clang HINTS "${LLVM_TOOLS_BINARY_DIR}" NO_DEFAULT_PATH)
if(NOT HOTAST_CLANG)
  message(FATAL_ERROR "clang 19 binary not found in ${LLVM_TOOLS_BINARY_DIR}. Install: apt-get install clang-19")
endif()

find_path(XXHASH_INCLUDE_DIR xxhash.h)
find_library(XXHASH_LIBRARY xxhash)
if(NOT XXHASH_INCLUDE_DIR OR NOT XXHASH_LIBRARY)
  message(FATAL_ERROR "xxHash not found. Install it with: apt-get install libxxhash-dev")
endif()

find_path(HIREDIS_INCLUDE_DIR hiredis/hiredis.h)
find_library(HIREDIS_LIBRARY hiredis)
if(NOT HIREDIS_INCLUDE_DIR OR NOT HIREDIS_LIBRARY)
  message(FATAL_ERROR "hiredis not found. Install it with: apt-get install libhiredis-dev")
endif()

# zstd itself: the remote cache compresses values and decompresses an object
# in pieces as it writes it (LLVM's zstd interface takes only whole buffers).
find_path(HOTAST_ZSTD_INCLUDE_DIR zstd.h)
if(NOT HOTAST_ZSTD_INCLUDE_DIR)
  message(FATAL_ERROR "zstd.h not found. Install it with: apt-get install libzstd-dev")
endif()

find_package(SQLite3)
if(NOT SQLite3_FOUND)
  message(FATAL_ERROR "SQLite 3 not found. Install it with: apt-get install libsqlite3-dev")
endif()

find_package(GTest)
if(NOT GTest_FOUND)
  message(FATAL_ERROR "GoogleTest not found. Install it with: apt-get install libgtest-dev")
endif()

find_program(HOTAST_LIT lit.py HINTS "${HOTAST_LLVM_ROOT}/build/utils/lit" NO_DEFAULT_PATH)
find_program(HOTAST_FILECHECK FileCheck HINTS "${LLVM_TOOLS_BINARY_DIR}" NO_DEFAULT_PATH)
find_program(HOTAST_SPLIT_FILE split-file HINTS "${LLVM_TOOLS_BINARY_DIR}" NO_DEFAULT_PATH)
find_program(HOTAST_NOT not HINTS "${LLVM_TOOLS_BINARY_DIR}" NO_DEFAULT_PATH)
if(NOT HOTAST_LIT OR NOT HOTAST_FILECHECK OR NOT HOTAST_SPLIT_FILE OR NOT HOTAST_NOT)
  message(FATAL_ERROR "lit, FileCheck, split-file or not missing. Install them with:\n"
    "  apt-get install llvm-19-tools llvm-19-dev")
endif()
find_package(Python3 COMPONENTS Interpreter REQUIRED)

include_directories(SYSTEM ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
add_definitions(${LLVM_DEFINITIONS})
if(NOT LLVM_ENABLE_RTTI)
  add_compile_options(-fno-rtti)
endif()

# LLVM, Clang and lld for the programs that parse. A program links them one
# way only (one process must never hold two copies: duplicate cl::opt
# registries), chosen by its HOTAST_STATIC_LLVM property:
# - hotast-clang, which starts for every compile past a direct miss, links
#   their static archives and is no position-independent executable: it
#   starts without relocating the shared libraries' symbols: 28 ms of CPU
#   instead of 73 (docs/benchmarks.md, "Starting hotast-clang").
#   lld links it in about 4 s.
# - the others (the unit tests) link the shared libLLVM/libclang-cpp: fast
#   links.
# Every hotast library links the interface hotastLLVM, which gives each
# program its choice.
option(HOTAST_STATIC_LLVM "link hotast-clang against the static LLVM, Clang and lld archives" ON)
file(GLOB HOTAST_CLANG_ARCHIVES "${HOTAST_LLVM_ROOT}/lib/libclang[A-Z]*.a")
file(GLOB HOTAST_LLVM_ARCHIVES "${HOTAST_LLVM_ROOT}/lib/libLLVM*.a")
set(HOTAST_LLD_ARCHIVES "${HOTAST_LLVM_ROOT}/lib/liblldELF.a" "${HOTAST_LLVM_ROOT}/lib/liblldCommon.a")
find_program(HOTAST_LLD ld.lld HINTS "${LLVM_TOOLS_BINARY_DIR}" NO_DEFAULT_PATH)
if(HOTAST_STATIC_LLVM AND (NOT HOTAST_CLANG_ARCHIVES OR NOT HOTAST_LLVM_ARCHIVES OR NOT HOTAST_LLD))
  message(FATAL_ERROR "LLVM's static archives or lld 19 not found. Install them with:\n"
    "  apt-get install llvm-19-dev libclang-19-dev liblld-19-dev lld-19\n"
    "or configure with -DHOTAST_STATIC_LLVM=OFF")
endif()
add_library(hotastLLVM INTERFACE)
set(HOTAST_STATIC_GENEX "$<BOOL:$<TARGET_PROPERTY:HOTAST_STATIC_LLVM>>")
foreach(Lib clang-cpp LLVM lldELF)
  target_link_libraries(hotastLLVM INTERFACE "$<$<NOT:${HOTAST_STATIC_GENEX}>:${Lib}>")
endforeach()
foreach(Lib ${HOTAST_LLD_ARCHIVES} ${HOTAST_CLANG_ARCHIVES} ${HOTAST_LLVM_ARCHIVES} z zstd rt dl m pthread)
  target_link_libraries(hotastLLVM INTERFACE "$<${HOTAST_STATIC_GENEX}:${Lib}>")
endforeach()
# The program lld is found as ld.lld in a folder of its own (-B): a machine
# may have no ld.lld on its path, or another version's.
if(HOTAST_STATIC_LLVM)
  file(MAKE_DIRECTORY "${CMAKE_BINARY_DIR}/lld")
  file(CREATE_LINK "${HOTAST_LLD}" "${CMAKE_BINARY_DIR}/lld/ld.lld" SYMBOLIC)
endif()

# Makes Target one of the programs that link the static archives (see above).
function(hotast_link_static_llvm Target)
  if(HOTAST_STATIC_LLVM)
    set_target_properties(${Target} PROPERTIES HOTAST_STATIC_LLVM ON)
    target_link_options(${Target} PRIVATE -fuse-ld=lld "-B${CMAKE_BINARY_DIR}/lld/" -no-pie)
    target_sources(${Target} PRIVATE "${PROJECT_SOURCE_DIR}/lib/Support/NoPolly.cpp")
  endif()
endfunction()
