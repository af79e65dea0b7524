# cmake -DCOMPILER=<c++> -DSOURCE=<file> -DINCLUDES=<dir;dir> [-DFLAGS=<flag;flag>] -DEXPECTED=<regex>
#       -P expect_first_error.cmake
#
# SOURCE must fail to compile, and the first `error:` line the compiler prints must
# match EXPECTED: what a user reads first is what tells them the fix.
cmake_minimum_required(VERSION 3.25)
set(flags -std=c++20 -fsyntax-only ${FLAGS})
foreach(dir IN LISTS INCLUDES)
  list(APPEND flags -I${dir})
endforeach()
execute_process(COMMAND ${COMPILER} ${flags} ${SOURCE}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(status EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, though it must not")
endif()
string(REGEX MATCH "[^\n]*error:[^\n]*" first "${output}")
if(NOT first MATCHES "${EXPECTED}")
  message(FATAL_ERROR "the first error does not match '${EXPECTED}':\n${first}\n--- all of it:\n${output}")
endif()
message(STATUS "first error: ${first}")
