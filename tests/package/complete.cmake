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

# The cursor: just after the first `expect(book.remote->` (code, not a comment).
include(${CMAKE_CURRENT_LIST_DIR}/../completion_at.cmake)
completion_at(${CLANG} ${BUILD_DIR}/compile_commands.json ${SOURCE} "expect(book.remote->" completions
              -Xclang -code-completion-brief-comments)

set(failures "")
foreach(expected
    "COMPLETION: total : \\[#::remoteobj::Field< ?::remoteobj::generated::Ledger_total>#\\]total : The sum of every amount added so far\\."
    "COMPLETION: owner : \\[#::remoteobj::Field< ?::remoteobj::generated::Ledger_owner>#\\]owner : Who keeps the books\\."
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
