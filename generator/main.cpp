// remoteobj-gen: reads an annotated header, writes `<stem>.remote.{fbs,hpp,cpp}`.
//
//   remoteobj-gen --out-dir DIR [--stem NAME] [--depfile FILE] [--resource-dir DIR]
//                 [--types-dir DIR] [--sibling HEADER=NAME]... HEADER [-- CLANG-ARGS...]
//
// Errors come out as `file:line:col: error: ...` and a non-zero exit status.
// Outputs are rewritten only when their text changes, so an edit that does not
// change the interface recompiles nothing downstream.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "emit/proxy_emitter.hpp"
#include "emit/schema_emitter.hpp"
#include "emit/type_emitter.hpp"
#include "outputs.hpp"
#include "parse/parser.hpp"

#ifndef REMOTEOBJ_CLANG_RESOURCE_DIR
#define REMOTEOBJ_CLANG_RESOURCE_DIR ""
#endif

namespace fs = std::filesystem;
using namespace remoteobj::gen;

namespace {

int usage(const char* why) {
    std::cerr << "remoteobj-gen: error: " << why << "\n"
              << "usage: remoteobj-gen --out-dir DIR [--stem NAME] [--depfile FILE] [--resource-dir DIR]\n"
                 "                     [--types-dir DIR] [--sibling HEADER=NAME]... HEADER [-- CLANG-ARGS...]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    ParseOptions options;
    options.resource_dir = REMOTEOBJ_CLANG_RESOURCE_DIR;
    std::string out_dir, stem, depfile, types_dir;
    std::map<std::string, std::string> siblings;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&](const char* flag) -> const char* {
            if (i + 1 >= argc) return nullptr;
            (void)flag;
            return argv[++i];
        };
        if (arg == "--") {
            options.compiler_args.assign(argv + i + 1, argv + argc);
            break;
        } else if (arg == "--out-dir") {
            const char* v = value("--out-dir");
            if (!v) return usage("--out-dir needs a directory");
            out_dir = v;
        } else if (arg == "--stem") {
            const char* v = value("--stem");
            if (!v) return usage("--stem needs a name");
            stem = v;
        } else if (arg == "--depfile") {
            const char* v = value("--depfile");
            if (!v) return usage("--depfile needs a file name");
            depfile = v;
        } else if (arg == "--types-dir") {
            const char* v = value("--types-dir");
            if (!v) return usage("--types-dir needs a directory");
            types_dir = v;
        } else if (arg == "--sibling") {
            // Another header of the target and its generated files' name: `/src/net/client.hpp=net/client`.
            const char* v = value("--sibling");
            const char* equals = v ? std::strchr(v, '=') : nullptr;
            if (!equals) return usage("--sibling needs HEADER=NAME");
            siblings[fs::absolute(std::string(v, equals)).lexically_normal().string()] = equals + 1;
        } else if (arg == "--resource-dir") {
            const char* v = value("--resource-dir");
            if (!v) return usage("--resource-dir needs a directory");
            options.resource_dir = v;
        } else if (!arg.empty() && arg[0] == '-') {
            return usage(("unknown option " + arg).c_str());
        } else if (options.header.empty()) {
            options.header = arg;
        } else {
            return usage("one header at a time");
        }
    }
    if (options.header.empty()) return usage("no header given");
    if (out_dir.empty()) return usage("no --out-dir given");
    if (!fs::exists(options.header)) {
        std::cerr << options.header << ":1:1: error: no such file\n";
        return 1;
    }
    if (stem.empty()) stem = fs::path(options.header).stem().string();  // shape.v1.hpp -> shape.v1, as CMake's NAME_WLE

    // Includes of the header's own generated file resolve here (see the parser).
    const fs::path dir = fs::absolute(out_dir).lexically_normal();
    const std::string user_header = include_spelling(options.header, options.compiler_args, dir);
    options.compiler_args.push_back("-I" + dir.string());
    options.blank_files.push_back((dir / (stem + ".remote.hpp")).string());
    ParseResult result = parse_header(options);
    for (const Diagnostic& error : result.errors) std::cerr << format_diagnostic(error) << "\n";
    if (!result.compiled || !result.errors.empty()) return 1;
    if (result.model.classes.empty()) {
        std::cerr << options.header << ":1:1: error: no class marked REMOTEOBJ in this header\n";
        return 1;
    }

    fs::create_directories(out_dir);
    const EmitNames names{stem + ".remote.hpp", stem + ".remote_generated.h", user_header, siblings};
    // The types every header that uses them shares, under `--types-dir` (the target's
    // generated root: `--out-dir` is a folder below it for a header whose name another
    // one has), and their list, which the flatc step compiles.
    const fs::path root = types_dir.empty() ? dir : fs::absolute(types_dir).lexically_normal();
    std::string type_list;
    bool ok = true;
    for (const TypeTable& type : type_tables(result.model)) {
        if (!is_shared(type.type)) continue;
        fs::create_directories(root / "remoteobj_types");
        ok = ok && write_if_changed(root / (shared_path(type) + ".fbs"), shared_type_schema(type)) &&
             write_if_changed(root / (shared_path(type) + ".remote.hpp"), shared_type_header(type));
        type_list += shared_path(type) + ".fbs\n";
    }
    ok = ok && write_if_changed(dir / (stem + ".remote.types"), type_list) &&
         write_if_changed(dir / (stem + ".remote.fbs"), emit_schema(result.model, names)) &&
              write_if_changed(dir / (stem + ".remote.hpp"), emit_proxy_header(result.model, names)) &&
              write_if_changed(dir / (stem + ".remote.cpp"), emit_proxy_source(result.model, names));
    if (ok && !depfile.empty()) {
        // Make syntax, as Ninja reads it: the header and all it includes.
        // The target is the first output CMake lists for the step: the schema.
        std::string text = (dir / (stem + ".remote.fbs")).string() + ":";
        for (const std::string& dependency : result.dependencies) {
            // Our own output, read as blank, is not an input (it would be a cycle).
            if (fs::path(dependency).lexically_normal() == options.blank_files.front()) continue;
            std::string escaped;
            for (char c : dependency) {
                if (c == ' ' || c == '#') escaped += '\\';
                escaped += c;
            }
            text += " \\\n  " + escaped;
        }
        ok = write_if_changed(depfile, text + "\n");
    }
    if (!ok) {
        std::cerr << "remoteobj-gen: error: cannot write to " << out_dir << "\n";
        return 1;
    }
    return 0;
}
