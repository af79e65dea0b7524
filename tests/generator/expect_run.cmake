# cmake -DSTATUS=<n> [-DSTDOUT=<regex>] [-DSTDERR=<regex>] -P expect_run.cmake -- <command> [<arg>...]
#
# Runs the command and checks its exit status exactly and each of its streams
# apart: CTest's PASS_REGULAR_EXPRESSION ignores the status (1 and an abort
# alike) and reads stdout and stderr together.
cmake_minimum_required(VERSION 3.25)
set(command "")
set(after_dashes FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(after_dashes)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_dashes TRUE)
  endif()
endforeach()
execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(report "command: ${command}\nstatus: ${status}\nstdout:\n${out}\nstderr:\n${err}")
if(NOT status STREQUAL "${STATUS}")
  message(FATAL_ERROR "expected exit status ${STATUS}\n${report}")
endif()
if(DEFINED STDOUT AND NOT out MATCHES "${STDOUT}")
  message(FATAL_ERROR "stdout does not match '${STDOUT}'\n${report}")
endif()
if(DEFINED STDERR AND NOT err MATCHES "${STDERR}")
  message(FATAL_ERROR "stderr does not match '${STDERR}'\n${report}")
endif()
