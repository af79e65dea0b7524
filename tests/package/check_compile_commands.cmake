# cmake -DBUILD_DIR=<consumer build> -DTARGET=<target> -P check_compile_commands.cmake
#
# What an IDE reads: every source of the target, the user's and the generated one,
# compiles with -I<BUILD_DIR>/remoteobj_generated/<TARGET>, so `#include "x.remote.hpp"`
# resolves and the stubs complete.
cmake_minimum_required(VERSION 3.25)
set(database ${BUILD_DIR}/compile_commands.json)
if(NOT EXISTS ${database})
  message(FATAL_ERROR "${database} does not exist")
endif()
file(READ ${database} json)
string(JSON count LENGTH "${json}")
set(wanted "-I${BUILD_DIR}/remoteobj_generated/${TARGET}")
set(checked 0)
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON file GET "${json}" ${i} file)
  string(JSON command GET "${json}" ${i} command)
  # Only the target's own sources: a subproject's are in the database too.
  string(FIND "${command}" "CMakeFiles/${TARGET}.dir/" of_target)
  if(NOT of_target EQUAL -1)
    separate_arguments(arguments UNIX_COMMAND "${command}")
    if(NOT wanted IN_LIST arguments)
      message(FATAL_ERROR "${file} compiles without ${wanted}:\n${command}")
    endif()
    math(EXPR checked "${checked} + 1")
    message(STATUS "${file}: ${wanted}")
  endif()
endforeach()
if(checked LESS 2)
  message(FATAL_ERROR "${database} lists ${checked} of the target's sources (main.cpp and the generated .remote.cpp)")
endif()
