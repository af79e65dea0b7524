# cmake -DFLATC=<flatc> -DROOT=<generated root> -DSCHEMA=<x.remote.fbs> -DOUT=<its folder>
#       -DTYPES=<x.remote.types> -P RemoteobjFlatc.cmake
#
# add_remote_proxy()'s flatc step for one header: compiles the shared type schemas
# its generator run listed (remoteobj_types/*.fbs, which other headers and targets
# may share), then the header's own schema. A shared table's header is written to a
# temporary folder and renamed into place only when it changed: another header's
# step may compile the same type at the same time, and a compiler may be reading it.
cmake_minimum_required(VERSION 3.25)

function(run_flatc schema out)
  execute_process(COMMAND ${FLATC} --cpp --scoped-enums --keep-prefix -I ${ROOT} -o ${out} ${schema}
                  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "flatc failed on ${schema}:\n${output}")
  endif()
endfunction()

file(STRINGS ${TYPES} shared_schemas)
if(shared_schemas)
  string(RANDOM LENGTH 12 tag)
  set(scratch ${ROOT}/remoteobj_types/.flatc-${tag})
  foreach(schema IN LISTS shared_schemas)
    run_flatc(${ROOT}/${schema} ${scratch})
    get_filename_component(name ${schema} NAME_WE)
    set(made ${scratch}/${name}_generated.h)
    set(final ${ROOT}/remoteobj_types/${name}_generated.h)
    file(READ ${made} new_text)
    set(old_text "")
    if(EXISTS ${final})
      file(READ ${final} old_text)
    endif()
    if(NOT new_text STREQUAL old_text)
      file(RENAME ${made} ${final})
    endif()
  endforeach()
  file(REMOVE_RECURSE ${scratch})
endif()
run_flatc(${SCHEMA} ${OUT})
