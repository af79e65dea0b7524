# cmake -DBUILD_DIR=<remoteobj build> -DPREFIX=<dir> -DSOURCE_DIR=<remoteobj source> [-DCLI=ON] -P install.cmake
#
# Installs the build into a staging prefix, then moves it to PREFIX, which the
# consumers use: a package that still worked only where it was installed, or that
# named the build or source tree, fails here or in the consumer's build.
cmake_minimum_required(VERSION 3.25)
set(staging ${PREFIX}-staging)
file(REMOVE_RECURSE ${staging} ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${staging}
                RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} failed: ${status}")
endif()
file(RENAME ${staging} ${PREFIX})

set(missing)
set(cli_files)
if(CLI)
  set(cli_files bin/remoteobj)
endif()
foreach(pattern ${cli_files}
    bin/remoteobj-gen
    lib*/libremoteobj.a
    include/remoteobj/remoteobj.hpp
    include/remoteobj/detail/stack_trace.hpp
    include/remoteobj/wire/remoteobj_generated.h
    include/remoteobj/wire/values_generated.h
    share/remoteobj/schemas/remoteobj.fbs
    share/remoteobj/schemas/values.fbs
    lib*/cmake/remoteobj/remoteobjConfig.cmake
    lib*/cmake/remoteobj/remoteobjConfigVersion.cmake
    lib*/cmake/remoteobj/remoteobjTargets.cmake
    lib*/cmake/remoteobj/RemoteobjProxy.cmake
    lib*/cmake/remoteobj/RemoteobjFlatc.cmake)
  file(GLOB found ${PREFIX}/${pattern})
  if(NOT found)
    list(APPEND missing ${pattern})
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "not installed: ${missing}")
endif()

# The command runs from the moved prefix.
if(CLI)
  execute_process(COMMAND ${PREFIX}/bin/remoteobj --version RESULT_VARIABLE status OUTPUT_VARIABLE version)
  if(NOT status EQUAL 0 OR NOT version MATCHES "^remoteobj [0-9]")
    message(FATAL_ERROR "the installed remoteobj --version failed (${status}): ${version}")
  endif()
endif()

# The package's CMake files name no tree of this machine but system ones.
file(GLOB_RECURSE package_files ${PREFIX}/lib*/cmake/remoteobj/*)
foreach(file IN LISTS package_files)
  file(READ ${file} text)
  foreach(path ${BUILD_DIR} ${SOURCE_DIR} ${staging})
    string(FIND "${text}" "${path}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${file} names ${path}: the package would not be relocatable")
    endif()
  endforeach()
endforeach()
message(STATUS "installed into ${PREFIX}")
