# docs/examples.md must show every file of every example exactly as it is.
# Run with -DSOURCE_DIR=<repository root>.
file(READ ${SOURCE_DIR}/docs/examples.md doc)
file(GLOB_RECURSE files RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/examples/*/*.hpp ${SOURCE_DIR}/examples/*/*.cpp
     ${SOURCE_DIR}/examples/*/CMakeLists.txt)
set(stale "")
foreach(file IN LISTS files)
  file(READ ${SOURCE_DIR}/${file} text)
  string(STRIP "${text}" text)
  string(FIND "${doc}" "`${file}`:\n\n```" heading)
  string(FIND "${doc}" "${text}" body)
  if(heading EQUAL -1 OR body EQUAL -1)
    list(APPEND stale ${file})
  endif()
endforeach()
if(stale)
  message(FATAL_ERROR "docs/examples.md does not show these files as they are: ${stale}")
endif()
