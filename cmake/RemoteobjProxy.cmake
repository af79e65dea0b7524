# add_remote_proxy(<target> HEADERS <header>...)
#
# For each annotated header: runs remoteobj-gen (header -> .remote.fbs/.hpp/.cpp),
# then flatc (.remote.fbs -> .remote_generated.h), as build steps that rerun only
# when the header or anything it includes changes. Adds the generated sources to
# <target>, the generated directory to its include path (so IDEs see the stubs),
# and links remoteobj::runtime.
#
# Naming: the files generated for `dir/name.ext` are `name.remote.hpp` (and .cpp,
# .fbs), `name` being the file name without its last extension (shape.v1.hpp ->
# shape.v1.remote.hpp), as the standalone generator names them. When two headers of
# the target have the same name (net/client.hpp, db/client.hpp), each one's files
# keep its folder relative to the calling CMakeLists.txt: net/client.remote.hpp.
#
# The generator parses each header as the compiler compiles the target: with its
# include directories, definitions and compile options (usage requirements of linked
# targets included), CMAKE_CXX_FLAGS and CMAKE_CXX_FLAGS_<CONFIG> of the build's
# configuration, and its C++ standard. Options only GCC knows are dropped by the
# generator itself.
#
# The same file serves the build tree (included by remoteobj's CMakeLists, so it
# works through add_subdirectory and FetchContent) and the installed package
# (included by remoteobjConfig.cmake): it names only targets, remoteobj::gen and
# flatbuffers::flatc, never paths of the tree it came from. A cross build, or any
# build that must not compile the generator, names a host-built one in the cache
# variable REMOTEOBJ_GEN_EXECUTABLE.

set(REMOTEOBJ_GEN_EXECUTABLE "" CACHE FILEPATH
    "A remoteobj-gen to run instead of the one remoteobj builds or installs (cross builds: a host tool)")

# The configuration-dependent flags a target compiles with, as one generator
# expression: CMAKE_CXX_FLAGS, then CMAKE_CXX_FLAGS_<CONFIG> of the configuration built.
function(_remoteobj_configuration_flags out)
  separate_arguments(flags UNIX_COMMAND "${CMAKE_CXX_FLAGS}")
  set(configurations ${CMAKE_CONFIGURATION_TYPES} ${CMAKE_BUILD_TYPE} Debug Release RelWithDebInfo MinSizeRel)
  list(REMOVE_DUPLICATES configurations)
  foreach(configuration IN LISTS configurations)
    string(TOUPPER "${configuration}" upper)
    separate_arguments(per_configuration UNIX_COMMAND "${CMAKE_CXX_FLAGS_${upper}}")
    if(per_configuration)
      list(JOIN per_configuration "$<SEMICOLON>" per_configuration)
      list(APPEND flags "$<$<CONFIG:${configuration}>:${per_configuration}>")
    endif()
  endforeach()
  set(${out} ${flags} PARENT_SCOPE)
endfunction()

function(add_remote_proxy target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "HEADERS")
  if(NOT TARGET ${target})
    message(FATAL_ERROR "add_remote_proxy: '${target}' is not a target")
  endif()
  if(NOT ARG_HEADERS)
    message(FATAL_ERROR "add_remote_proxy(${target}): give the annotated headers after HEADERS")
  endif()
  if(REMOTEOBJ_GEN_EXECUTABLE)
    if(NOT EXISTS "${REMOTEOBJ_GEN_EXECUTABLE}")
      message(FATAL_ERROR "add_remote_proxy(${target}): REMOTEOBJ_GEN_EXECUTABLE is '${REMOTEOBJ_GEN_EXECUTABLE}', which does not exist")
    endif()
    set(generator "${REMOTEOBJ_GEN_EXECUTABLE}")
  elseif(TARGET remoteobj::gen)
    set(generator remoteobj::gen)
  else()
    message(FATAL_ERROR "add_remote_proxy: remoteobj::gen (the generator) is not available: "
                        "set REMOTEOBJ_GEN_EXECUTABLE to a remoteobj-gen")
  endif()
  if(NOT TARGET flatbuffers::flatc)
    message(FATAL_ERROR "add_remote_proxy: flatbuffers::flatc is not visible here: find_package(remoteobj) in this directory or a parent")
  endif()

  # The flatc step's script, beside this file in the source tree and in the package.
  set(flatc_script ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/RemoteobjFlatc.cmake)
  target_link_libraries(${target} PUBLIC remoteobj::runtime)
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/remoteobj_generated/${target})
  set(includes "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(defines "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(options "$<TARGET_PROPERTY:${target},COMPILE_OPTIONS>")
  # The standard the target compiles with: its CXX_STANDARD when above the runtime's 20.
  set(standard "$<TARGET_PROPERTY:${target},CXX_STANDARD>")
  set(standard "$<IF:$<IN_LIST:${standard},23$<SEMICOLON>26>,${standard},20>")
  set(dialect "$<IF:$<BOOL:$<TARGET_PROPERTY:${target},CXX_EXTENSIONS>>,gnu++,c++>")
  _remoteobj_configuration_flags(configuration_flags)
  set(clang_args
      ${configuration_flags}
      "$<$<BOOL:${includes}>:-I$<JOIN:${includes},$<SEMICOLON>-I>>"
      "$<$<BOOL:${defines}>:-D$<JOIN:${defines},$<SEMICOLON>-D>>"
      "${options}"
      "-std=${dialect}${standard}")

  # Each header's name (see Naming above), and the folder its files go to.
  set(names "")
  foreach(header IN LISTS ARG_HEADERS)
    get_filename_component(header_path "${header}" ABSOLUTE)
    if(NOT EXISTS "${header_path}")
      message(FATAL_ERROR "add_remote_proxy(${target}): ${header} does not exist (looked for ${header_path})")
    endif()
    # A configure-time check of the list, not parsing: the generator reads the header.
    file(READ "${header_path}" text)
    if(NOT text MATCHES "(class|struct)[ \t\r\n]+REMOTEOBJ[ \t\r\n]")
      message(FATAL_ERROR "add_remote_proxy(${target}): ${header} has no class marked REMOTEOBJ "
                          "(write `class REMOTEOBJ Name { ... };`, or leave the header out of HEADERS)")
    endif()
    get_filename_component(name "${header}" NAME_WLE)
    list(APPEND names ${name})
  endforeach()

  set(headers "")
  set(outputs "")  # each header's generated files, without extension: "ledger", "net/client"
  set(siblings "")
  foreach(header IN LISTS ARG_HEADERS)
    get_filename_component(header_path "${header}" ABSOLUTE)
    get_filename_component(name "${header}" NAME_WLE)
    set(output "${name}")
    set(same 0)
    foreach(other IN LISTS names)
      if(other STREQUAL name)
        math(EXPR same "${same} + 1")
      endif()
    endforeach()
    if(same GREATER 1)
      get_filename_component(header_dir "${header_path}" DIRECTORY)
      file(RELATIVE_PATH subdir "${CMAKE_CURRENT_SOURCE_DIR}" "${header_dir}")
      if(subdir STREQUAL "" OR subdir MATCHES "^\\.\\.")
        message(FATAL_ERROR "add_remote_proxy(${target}): ${name} is the name of several headers; "
                            "${header} must be in a folder below ${CMAKE_CURRENT_SOURCE_DIR} to keep its own")
      endif()
      set(output "${subdir}/${name}")
    endif()
    if(output IN_LIST outputs)
      message(FATAL_ERROR "add_remote_proxy(${target}): two headers would generate ${output}.remote.hpp")
    endif()
    list(APPEND headers "${header_path}")
    list(APPEND outputs "${output}")
    list(APPEND siblings "--sibling" "${header_path}=${output}")
  endforeach()

  # A schema may include another header's (a REMOTEOBJ struct passed by value), so
  # flatc runs once every schema of the target has been generated.
  list(TRANSFORM outputs PREPEND "${out_dir}/" OUTPUT_VARIABLE all_fbs)
  list(TRANSFORM all_fbs APPEND ".remote.fbs")

  foreach(header_path output IN ZIP_LISTS headers outputs)
    get_filename_component(name "${header_path}" NAME_WLE)
    get_filename_component(header_out_dir "${out_dir}/${output}" DIRECTORY)
    set(fbs ${out_dir}/${output}.remote.fbs)
    set(hpp ${out_dir}/${output}.remote.hpp)
    set(cpp ${out_dir}/${output}.remote.cpp)
    set(types ${out_dir}/${output}.remote.types)
    set(description ${out_dir}/${output}.remote.json)
    set(schema_header ${out_dir}/${output}.remote_generated.h)
    add_custom_command(
      OUTPUT ${fbs} ${hpp} ${cpp} ${types} ${description}
      COMMAND ${generator} --out-dir ${header_out_dir} --stem ${name} --depfile ${out_dir}/${output}.remote.d
              --types-dir ${out_dir} ${siblings} ${header_path} -- ${clang_args}
      DEPENDS ${header_path} ${generator}
      DEPFILE ${out_dir}/${output}.remote.d
      COMMENT "remoteobj-gen: ${output}.remote.hpp"
      COMMAND_EXPAND_LISTS
      VERBATIM)
    add_custom_command(
      OUTPUT ${schema_header}
      COMMAND ${CMAKE_COMMAND} -DFLATC=$<TARGET_FILE:flatbuffers::flatc> -DROOT=${out_dir} -DSCHEMA=${fbs}
              -DOUT=${header_out_dir} -DTYPES=${types} -P ${flatc_script}
      DEPENDS ${all_fbs} ${types} flatbuffers::flatc ${flatc_script}
      COMMENT "flatc: ${output}.remote.fbs"
      VERBATIM)
    target_sources(${target} PRIVATE ${cpp} ${hpp} ${schema_header})
  endforeach()
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${out_dir}>)
endfunction()
