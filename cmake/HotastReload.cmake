# HotastReload.cmake: build CMake targets with hotast's reload profile.
#
#   include(/path/to/hotast/cmake/HotastReload.cmake)
#   hotast_reload(my_app)            # compile and link my_app patchable
#
# The flags are the ones `hotast reload-flags --cflags` and `--ldflags` print
# (docs/reload.md): patchable function entries, 16-byte aligned functions,
# function sections, exported symbols, a build id and the runtime
# libhotast-rt. HOTAST_EXECUTABLE names the hotast program (found on PATH
# when unset). For clang: the runtime refuses GCC's entries.

function(hotast_reload target)
  if(NOT HOTAST_EXECUTABLE)
    find_program(HOTAST_EXECUTABLE hotast REQUIRED)
  endif()
  foreach(kind cflags ldflags)
    execute_process(COMMAND "${HOTAST_EXECUTABLE}" reload-flags --${kind}
                    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "hotast_reload(${target}): '${HOTAST_EXECUTABLE} reload-flags --${kind}' failed (${status})")
    endif()
    separate_arguments(flags UNIX_COMMAND "${flags}")
    set(${kind} ${flags})
  endforeach()
  target_compile_options(${target} PRIVATE ${cflags})
  target_link_options(${target} PRIVATE ${ldflags})
endfunction()
