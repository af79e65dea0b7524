# cmake -DBUILD_DIR=<consumer build> -DTARGET=<target> -DSOURCE_DIR=<consumer source> -P check_generated_paths.cmake
#
# Generated files do not depend on where the trees live: none names the source or
# the build tree by its absolute path (the user's header is included by a path
# relative to an include directory or to the generated file), so a build tree can be
# cached and moved together with its sources.
cmake_minimum_required(VERSION 3.25)
file(GLOB_RECURSE generated LIST_DIRECTORIES false
     ${BUILD_DIR}/remoteobj_generated/${TARGET}/*.remote.hpp
     ${BUILD_DIR}/remoteobj_generated/${TARGET}/*.remote.cpp
     ${BUILD_DIR}/remoteobj_generated/${TARGET}/*.remote.fbs)
list(LENGTH generated count)
if(count LESS 6)
  message(FATAL_ERROR "found only ${count} generated files under ${BUILD_DIR}/remoteobj_generated/${TARGET}")
endif()
get_filename_component(source ${SOURCE_DIR} REALPATH)
get_filename_component(build ${BUILD_DIR} REALPATH)
foreach(file IN LISTS generated)
  file(READ ${file} text)
  foreach(tree IN ITEMS "${source}" "${build}" "${SOURCE_DIR}" "${BUILD_DIR}")
    string(FIND "${text}" "${tree}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${file} names the absolute path ${tree}")
    endif()
  endforeach()
endforeach()
message(STATUS "${count} generated files, none with an absolute path of the trees")
