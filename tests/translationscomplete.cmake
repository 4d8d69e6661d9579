# Fails when a user-visible string has no German translation: runs lupdate over the current
# sources into a copy of the catalogue, so a string added without `update_translations` counts.
#   cmake -DLUPDATE=... -DPROJECT_CMAKE=... -DTS=... -DWORK=... -P translationscomplete.cmake
# PROJECT_CMAKE is the source list qt_add_translations writes at configure time.
include("${PROJECT_CMAKE}")
file(MAKE_DIRECTORY "${WORK}")
# The same include paths as the update_translations target, so lupdate resolves class contexts
# (Pitwall::HelperClient) exactly as it did when the catalogue was written.
set(include_args "")
foreach(dir IN LISTS lupdate_include_paths)
    list(APPEND include_args "-I${dir}")
endforeach()
get_filename_component(name "${TS}" NAME)
configure_file("${TS}" "${WORK}/${name}" COPYONLY)
execute_process(
    COMMAND "${LUPDATE}" ${include_args} ${lupdate_sources} -ts "${WORK}/${name}" -no-obsolete -locations none -silent
    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "lupdate failed: ${output}")
endif()
file(STRINGS "${WORK}/${name}" lines)
set(missing "")
set(source "")
foreach(line IN LISTS lines)
    if(line MATCHES "<source>(.*)</source>")
        set(source "${CMAKE_MATCH_1}")
    elseif(line MATCHES "type=\"(unfinished|vanished)\"")
        string(APPEND missing "\n  ${source}")
    endif()
endforeach()
if(missing)
    message(FATAL_ERROR "${name}: untranslated strings (run the update_translations target and translate):${missing}")
endif()
message(STATUS "${name}: complete")
