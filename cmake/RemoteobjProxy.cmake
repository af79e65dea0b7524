# add_remote_proxy(<target> HEADERS <header>...)
#
# For each annotated header: runs remoteobj-gen (header -> .remote.fbs/.hpp/.cpp),
# then flatc (.remote.fbs -> .remote_generated.h), as build steps that rerun only
# when the header or anything it includes changes. Adds the generated sources to
# <target>, the generated directory to its include path (so IDEs see the stubs),
# and links remoteobj::runtime.
#
# The generator parses each header with the target's own include directories and
# definitions (usage requirements of linked targets included).
#
# The same file serves the build tree (included by remoteobj's CMakeLists, so it
# works through add_subdirectory and FetchContent) and the installed package
# (included by remoteobjConfig.cmake): it names only targets, remoteobj::gen and
# flatbuffers::flatc, never paths of the tree it came from.

function(add_remote_proxy target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "HEADERS")
  if(NOT TARGET ${target})
    message(FATAL_ERROR "add_remote_proxy: '${target}' is not a target")
  endif()
  if(NOT ARG_HEADERS)
    message(FATAL_ERROR "add_remote_proxy(${target}): give the annotated headers after HEADERS")
  endif()
  if(NOT TARGET remoteobj::gen)
    message(FATAL_ERROR "add_remote_proxy: remoteobj::gen (the generator) is not available")
  endif()
  if(NOT TARGET flatbuffers::flatc)
    message(FATAL_ERROR "add_remote_proxy: flatbuffers::flatc is not visible here: find_package(remoteobj) in this directory or a parent")
  endif()

  target_link_libraries(${target} PUBLIC remoteobj::runtime)
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/remoteobj_generated/${target})
  set(includes "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(defines "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(clang_args
      "$<$<BOOL:${includes}>:-I$<JOIN:${includes},$<SEMICOLON>-I>>"
      "$<$<BOOL:${defines}>:-D$<JOIN:${defines},$<SEMICOLON>-D>>")

  # A schema may include another header's (a REMOTEOBJ struct passed by value), so
  # flatc runs once every schema of the target has been generated.
  set(all_fbs "")
  foreach(header IN LISTS ARG_HEADERS)
    get_filename_component(stem "${header}" NAME_WE)
    list(APPEND all_fbs ${out_dir}/${stem}.remote.fbs)
  endforeach()

  foreach(header IN LISTS ARG_HEADERS)
    get_filename_component(header_path "${header}" ABSOLUTE)
    get_filename_component(stem "${header}" NAME_WE)
    set(fbs ${out_dir}/${stem}.remote.fbs)
    set(hpp ${out_dir}/${stem}.remote.hpp)
    set(cpp ${out_dir}/${stem}.remote.cpp)
    set(schema_header ${out_dir}/${stem}.remote_generated.h)
    add_custom_command(
      OUTPUT ${fbs} ${hpp} ${cpp}
      COMMAND remoteobj::gen --out-dir ${out_dir} --stem ${stem} --depfile ${out_dir}/${stem}.remote.d
              ${header_path} -- ${clang_args}
      DEPENDS ${header_path} remoteobj::gen
      DEPFILE ${out_dir}/${stem}.remote.d
      COMMENT "remoteobj-gen: ${header}"
      COMMAND_EXPAND_LISTS
      VERBATIM)
    add_custom_command(
      OUTPUT ${schema_header}
      COMMAND flatbuffers::flatc --cpp --scoped-enums -I ${out_dir} -o ${out_dir} ${fbs}
      DEPENDS ${all_fbs} flatbuffers::flatc
      COMMENT "flatc: ${stem}.remote.fbs"
      VERBATIM)
    target_sources(${target} PRIVATE ${cpp} ${hpp} ${schema_header})
  endforeach()
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${out_dir}>)
endfunction()
