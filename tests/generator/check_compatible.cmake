# cmake -DGEN=<remoteobj-gen> -DHEADER=<h> -DINCLUDES=<dir;dir> -DOUT=<dir> -DVERSION=<n>
#       -DSTATUS=<n> [-DSTDERR=<regex>] -P check_compatible.cmake
#
# Generates HEADER twice, as it is (the old description) and with
# -DSHAPE_VERSION=VERSION (the new one), then runs
# `remoteobj-gen --check-compatible OLD NEW` and checks its exit status exactly,
# stderr against STDERR, and that stdout stays empty.
cmake_minimum_required(VERSION 3.25)
set(include_flags "")
foreach(dir IN LISTS INCLUDES)
  list(APPEND include_flags -I${dir})
endforeach()
foreach(side old new)
  set(defines "")
  if(side STREQUAL "new")
    set(defines -DSHAPE_VERSION=${VERSION})
  endif()
  execute_process(COMMAND ${GEN} --out-dir ${OUT}/${side} ${HEADER} -- ${include_flags} ${defines}
                  RESULT_VARIABLE status ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "generating the ${side} description failed (${status}):\n${err}")
  endif()
endforeach()
get_filename_component(stem ${HEADER} NAME_WE)
execute_process(COMMAND ${GEN} --check-compatible ${OUT}/old/${stem}.remote.json ${OUT}/new/${stem}.remote.json
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(report "status: ${status}\nstdout:\n${out}\nstderr:\n${err}")
if(NOT status STREQUAL "${STATUS}")
  message(FATAL_ERROR "expected exit status ${STATUS}\n${report}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "stdout is not empty\n${report}")
endif()
if(DEFINED STDERR AND NOT err MATCHES "${STDERR}")
  message(FATAL_ERROR "stderr does not match '${STDERR}'\n${report}")
endif()
