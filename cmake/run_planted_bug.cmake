# One planted-bug test (ctest label `planted`, issue 9), run as `cmake -P`: proves that the
# property suite catches the bug BUG. It configures a separate build tree with
# FLINKSIM_PLANTED_BUG=BUG, builds only `property_tests` there, runs the suite with a fixed
# RapidCheck seed, and passes only if the suite fails and CAUGHT_BY is among the properties that
# failed. A suite that passes on a planted bug means a property stopped biting: the test fails.
#
# Variables (-D): SOURCE_DIR, BUILD_DIR (the variant's tree), BUG, CAUGHT_BY (a property name
# such as exactly-once), GENERATOR, CXX_COMPILER, BUILD_TYPE, RC_SEED.
#
# It prints, for every property that failed, how many generated cases it took, RapidCheck's shrink
# steps and the shrunk scenario's size, and the build and run times; the shrunk scenarios are left
# in BUILD_DIR/counterexamples/.

foreach(variable SOURCE_DIR BUILD_DIR BUG CAUGHT_BY GENERATOR CXX_COMPILER BUILD_TYPE RC_SEED)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "run_planted_bug.cmake: -D${variable}=... is missing")
  endif()
endforeach()

cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)
if(cores GREATER 2)
  set(cores 2)  # CI has two cores; the test is scheduled as using two (PROCESSORS 2)
endif()

string(TIMESTAMP configure_start "%s" UTC)
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BUILD_DIR} -G ${GENERATOR}
          -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
          -DFLINKSIM_PLANTED_BUG=${BUG} -DFLINKSIM_BENCHMARKS=OFF -DFLINKSIM_FUZZ=OFF
          -DFLINKSIM_SANITIZE=
          # The variant is only run, never debugged: without debug information it compiles about
          # 30% faster (job_master.cc: 11.8 s with -O2 -g, 8.4 s with -O2), which keeps CI's
          # fresh-clone `make test` within its budget. Same optimisation, same behaviour.
          "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG"
  RESULT_VARIABLE configured OUTPUT_VARIABLE configure_output ERROR_VARIABLE configure_output)
if(NOT configured EQUAL 0)
  message(FATAL_ERROR "configuring the ${BUG} variant failed:\n${configure_output}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target property_tests -j ${cores}
  RESULT_VARIABLE built OUTPUT_VARIABLE build_output ERROR_VARIABLE build_output)
if(NOT built EQUAL 0)
  message(FATAL_ERROR "building the ${BUG} variant failed:\n${build_output}")
endif()
string(TIMESTAMP run_start "%s" UTC)

# The counterexamples go to the variant's own directory (property_check.h writes them to TMPDIR).
set(counterexamples ${BUILD_DIR}/counterexamples)
file(REMOVE_RECURSE ${counterexamples})
file(MAKE_DIRECTORY ${counterexamples})
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env "RC_PARAMS=seed=${RC_SEED}" TMPDIR=${counterexamples}
          ${BUILD_DIR}/property_tests/property_tests --gtest_filter=*Property.*
  RESULT_VARIABLE suite OUTPUT_VARIABLE suite_output ERROR_VARIABLE suite_output)
string(TIMESTAMP run_end "%s" UTC)
file(WRITE ${BUILD_DIR}/property_tests.log "${suite_output}")
math(EXPR build_seconds "${run_start} - ${configure_start}")
math(EXPR run_seconds "${run_end} - ${run_start}")

# property_check.cc prints one such line for every property that failed.
string(REGEX MATCHALL "property '[a-z-]+' failed after [^\n]*" failures "${suite_output}")
set(report "planted bug ${BUG}: build ${build_seconds} s, property suite ${run_seconds} s (RC_PARAMS=\"seed=${RC_SEED}\"), exit ${suite}")
foreach(failure IN LISTS failures)
  string(APPEND report "\n  ${failure}")
endforeach()
string(APPEND report "\n  shrunk scenarios: ${counterexamples}; full output: ${BUILD_DIR}/property_tests.log")
message("${report}")

if(suite EQUAL 0)
  message(FATAL_ERROR "the property suite passed on the planted bug ${BUG}: no property caught it")
endif()
if(NOT suite_output MATCHES "property '${CAUGHT_BY}' failed after")
  # A crash (a model assertion) also fails the suite, but without a shrunk case; and another
  # property catching the bug does not show that ${CAUGHT_BY} still bites.
  message(FATAL_ERROR "the property '${CAUGHT_BY}' did not catch ${BUG}:\n${suite_output}")
endif()
