# cmake -DCLANG=<clang-19> -DBUILD_DIR=<consumer build> -DSOURCE=<consumer main.cpp> -DTARGET=<target>
#       -P complete.cmake
#
# What an IDE shows: clang's code completion right after the first `expect(book.remote->` in
# SOURCE, with the include flags of compile_commands.json, must list the exported
# members of Ledger with their proxy types (the fields with their doc comments from
# ledger.hpp), and nothing that is not exported. The generated header must carry the
# comments of the class, its fields and its methods.
cmake_minimum_required(VERSION 3.25)
set(stub ${BUILD_DIR}/remoteobj_generated/${TARGET}/ledger.remote.hpp)
file(READ ${stub} generated)
foreach(comment
    "/// A running total kept by another process."
    "/// The sum of every amount added so far."
    "/// Adds an amount and returns the new total; a negative amount throws std::invalid_argument."
    "/// Declared at ledger.hpp:")  # where go-to-definition cannot take the user
  string(FIND "${generated}" "${comment}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${stub} lacks the doc comment '${comment}' of ledger.hpp")
  endif()
endforeach()

# The flags that matter for parsing, from the compilation database.
file(READ ${BUILD_DIR}/compile_commands.json json)
file(REAL_PATH ${SOURCE} source)
string(JSON count LENGTH "${json}")
math(EXPR last "${count} - 1")
set(command "")
foreach(i RANGE ${last})
  string(JSON file GET "${json}" ${i} file)
  file(REAL_PATH ${file} file)
  if(file STREQUAL source)
    string(JSON command GET "${json}" ${i} command)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "${source} is not in ${BUILD_DIR}/compile_commands.json")
endif()
separate_arguments(arguments UNIX_COMMAND "${command}")
set(flags "")
set(take_next FALSE)
foreach(argument IN LISTS arguments)
  if(take_next)
    list(APPEND flags ${argument})
    set(take_next FALSE)
  elseif(argument MATCHES "^-(I|D|std=).+")
    list(APPEND flags ${argument})
  elseif(argument MATCHES "^-(isystem|I|D)$")
    list(APPEND flags ${argument})
    set(take_next TRUE)
  endif()
endforeach()

# The cursor: just after the first `expect(book.remote->` (code, not a comment), as
# lines and columns count from 1.
file(READ ${source} text)
set(marker "expect(book.remote->")
string(FIND "${text}" "${marker}" offset)
if(offset EQUAL -1)
  message(FATAL_ERROR "${source} has no '${marker}'")
endif()
string(SUBSTRING "${text}" 0 ${offset} before)
string(REGEX MATCHALL "\n" newlines "${before}")
list(LENGTH newlines line)
math(EXPR line "${line} + 1")
string(FIND "${before}" "\n" line_start REVERSE)
string(LENGTH "${marker}" marker_length)
math(EXPR column "${offset} - ${line_start} + ${marker_length}")

execute_process(
  COMMAND ${CLANG} -fsyntax-only ${flags}
          -Xclang -code-completion-at=${source}:${line}:${column}
          -Xclang -code-completion-brief-comments ${source}
  RESULT_VARIABLE status OUTPUT_VARIABLE completions ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "clang failed (${status}) completing ${source}:${line}:${column}:\n${errors}")
endif()

set(failures "")
foreach(expected
    "COMPLETION: total : \\[#Field<generated::Ledger_total>#\\]total : The sum of every amount added so far\\."
    "COMPLETION: owner : \\[#Field<generated::Ledger_owner>#\\]owner : Who keeps the books\\."
    "COMPLETION: entries : \\[#[^#\n]+#\\]entries : Every amount added, in order\\."
    "COMPLETION: add : \\[#[^#\n]*stubs::Ledger_add#\\]add : Adds an amount and returns the new total"
    "COMPLETION: close : \\[#[^#\n]*stubs::Ledger_close#\\]close : Ends serve_until_closed\\(\\)\\.")
  if(NOT completions MATCHES "${expected}")
    list(APPEND failures "missing: ${expected}")
  endif()
endforeach()
foreach(hidden closed remote)  # private, and the link itself
  if(completions MATCHES "COMPLETION: ${hidden} :")
    list(APPEND failures "completes '${hidden}', which is not exported")
  endif()
endforeach()
if(failures)
  list(JOIN failures "\n" failures)
  message(FATAL_ERROR "completion at ${source}:${line}:${column}:\n${failures}\n--- clang's completions:\n${completions}")
endif()
message(STATUS "completion at ${source}:${line}:${column} lists Ledger's members with their docs")
