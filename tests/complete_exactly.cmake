# cmake -DCLANG=<clang-19> -DDATABASE=<compile_commands.json> -DSOURCE=<file> -DMARKER=<text>
#       -DEXPECTED=<name;name...> -P complete_exactly.cmake
#
# What an IDE offers: clang's code completion right after the first MARKER in SOURCE
# (with SOURCE's -I, -D and -std flags from DATABASE). Everything clang lists counts,
# inaccessible and hidden entries too (an IDE on libclang may show them); leaving
# out the three every C++ class has (its own name, `~Proxy` and its copy
# assignment), they must be exactly EXPECTED: the exported members, and
# `operator[]` where the class has one. Nothing of the proxy's machinery.
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/completion_at.cmake)
completion_at(${CLANG} ${DATABASE} ${SOURCE} "${MARKER}" completions)

string(REGEX MATCHALL "COMPLETION: [^\n]*" entries "${completions}")
set(shown "")
foreach(entry IN LISTS entries)
  if(entry MATCHES "^COMPLETION: ([^ ]+) \\(([^)]*)\\) :")
    set(name "${CMAKE_MATCH_1} (${CMAKE_MATCH_2})")  # inaccessible or hidden: listed, and never wanted
  elseif(entry MATCHES "^COMPLETION: ([^ ]+) :")
    set(name ${CMAKE_MATCH_1})
  else()
    continue()
  endif()
  if(name STREQUAL "Proxy" OR name STREQUAL "~Proxy" OR name STREQUAL "operator=")
    continue()
  endif()
  list(APPEND shown ${name})
endforeach()
list(REMOVE_DUPLICATES shown)
list(SORT shown)
set(wanted ${EXPECTED})
list(SORT wanted)
if(NOT shown STREQUAL wanted)
  set(extra ${shown})
  list(REMOVE_ITEM extra ${wanted})
  set(missing ${wanted})
  list(REMOVE_ITEM missing ${shown})
  message(FATAL_ERROR "completion at ${source}:${line}:${column} offers more or less than the exported members\n"
                      "not exported, but offered: ${extra}\nexported, but not offered: ${missing}\n"
                      "--- clang's completions:\n${completions}")
endif()
message(STATUS "completion at ${source}:${line}:${column} offers exactly: ${shown}")
