# cmake -DSOURCE_DIR=<tests/package/bad_header> -DBUILD_DIR=<dir> -DPREFIX=<installed remoteobj>
#       -DTOOLS=<generator and compilers> -P expect_generator_error.cmake
#
# A header with an unexportable member (bad.hpp:9, `int* p`) must fail the user's
# build, and the build's output must carry the generator's diagnostic the way a
# compiler prints one, so IDEs and editors jump to it.
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND ${CMAKE_COMMAND} --fresh -S ${SOURCE_DIR} -B ${BUILD_DIR} ${TOOLS}
                        -DCMAKE_PREFIX_PATH=${PREFIX}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "configuring ${SOURCE_DIR} failed:\n${output}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(status EQUAL 0)
  message(FATAL_ERROR "the build of ${SOURCE_DIR} succeeded, though bad.hpp has a raw pointer field:\n${output}")
endif()
set(expected "(^|\n)[^\n]*/bad\\.hpp:9:10: error: [^\n]*'Holder::p'")
if(NOT output MATCHES "${expected}")
  message(FATAL_ERROR "the build failed without the error '${expected}':\n${output}")
endif()
string(REGEX MATCH "[^\n]*bad\\.hpp:9:10: error: [^\n]*" line "${output}")
message(STATUS "the build reports: ${line}")
