// The target's compile options reach Clang without those that would make it
// refuse the parse (GCC-only ones) or that cannot matter to it (warnings).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "parse/compiler_args.hpp"

using remoteobj::gen::filter_compiler_args;
using Args = std::vector<std::string>;

TEST_CASE("compiler args: options Clang does not know are left out") {
    CHECK(filter_compiler_args({"-fanalyzer", "-Ifoo", "-fconcepts-diagnostics-depth=2", "-fno-such-option"}) ==
          Args{"-Ifoo"});
}

TEST_CASE("compiler args: warning options are left out, -Wp, -Wl, -Wa (not warnings) stay") {
    CHECK(filter_compiler_args({"-Wall", "-Wextra", "-Werror", "-Werror=format", "-Wno-maybe-uninitialized", "-w",
                                "-pedantic", "-pedantic-errors", "-Wp,-D_FORTIFY_SOURCE=2", "-Wl,--as-needed",
                                "-Wa,--noexecstack"}) ==
          Args{"-Wp,-D_FORTIFY_SOURCE=2", "-Wl,--as-needed", "-Wa,--noexecstack"});
}

TEST_CASE("compiler args: options Clang knows stay in order, each with its separate value") {
    const Args known = {"-I",        "dir",     "-DX=1",   "-std=c++20", "-O2", "-g",       "-fPIC",
                        "-fstack-clash-protection", "-isystem", "/usr/x", "-include", "pre.h", "-Xclang",
                        "-Wsome-cc1-warning", "-fno-semantic-interposition"};
    CHECK(filter_compiler_args(known) == known);
}

TEST_CASE("compiler args: nothing in, nothing out") { CHECK(filter_compiler_args({}).empty()); }
