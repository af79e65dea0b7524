// remoteobj-gen: reads an annotated header, writes `<stem>.remote.{fbs,hpp,cpp,json}`.
//
//   remoteobj-gen --out-dir DIR [--stem NAME] [--depfile FILE] [--resource-dir DIR]
//                 [--types-dir DIR] [--sibling HEADER=NAME]... HEADER [-- CLANG-ARGS...]
//   remoteobj-gen --check-compatible OLD.remote.json NEW.remote.json
//   remoteobj-gen --help | --version
//
// Errors come out as `file:line:col: error: ...` and a non-zero exit status.
// Outputs are rewritten only when their text changes, so an edit that does not
// change the interface recompiles nothing downstream.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "check/compatibility.hpp"
#include "emit/description_emitter.hpp"
#include "emit/proxy_emitter.hpp"
#include "emit/schema_emitter.hpp"
#include "emit/type_emitter.hpp"
#include "outputs.hpp"
#include "parse/compiler_args.hpp"
#include "parse/parser.hpp"

#ifndef REMOTEOBJ_CLANG_RESOURCE_DIR
#define REMOTEOBJ_CLANG_RESOURCE_DIR ""
#endif
#ifndef REMOTEOBJ_VERSION
#define REMOTEOBJ_VERSION "unknown"
#endif

namespace fs = std::filesystem;
using namespace remoteobj::gen;

namespace {

constexpr const char* usage_line =
    "usage: remoteobj-gen --out-dir DIR [--stem NAME] [--depfile FILE] [--resource-dir DIR]\n"
    "                     [--types-dir DIR] [--sibling HEADER=NAME]... HEADER [-- CLANG-ARGS...]\n"
    "       remoteobj-gen --check-compatible OLD.remote.json NEW.remote.json\n"
    "       remoteobj-gen --help | --version\n";

int usage(const char* why) {
    std::cerr << "remoteobj-gen: error: " << why << "\n" << usage_line;
    return 2;
}

// Asked for, so on stdout and a success (a pager or grep reads it).
int help() {
    std::cout << usage_line
              << "\n"
                 "Reads HEADER, writes <stem>.remote.fbs, .remote.hpp, .remote.cpp and .remote.json (the\n"
                 "classes' description, for tools) to DIR.\n"
                 "\n"
                 "  --out-dir DIR       where the outputs go (created if needed); required\n"
                 "  --stem NAME         the outputs' base name (default: HEADER's name without its extension)\n"
                 "  --depfile FILE      also write a depfile (Make syntax) of every file the parse read\n"
                 "  --resource-dir DIR  Clang's builtin headers (default: " REMOTEOBJ_CLANG_RESOURCE_DIR ")\n"
                 "  --types-dir DIR     where the shared files of standard types go, remoteobj_types/ (default: DIR)\n"
                 "  --sibling H=NAME    another header H of the target generates NAME.remote.*; repeatable\n"
                 "  --check-compatible OLD NEW\n"
                 "                      compare two descriptions (.remote.json): print each change that breaks\n"
                 "                      a peer built from OLD as file:line:col: error, and exit 1 if any\n"
                 "  --help              print this and exit\n"
                 "  --version           print the version and exit\n"
                 "  -- CLANG-ARGS...    the target's compile options (-I, -D, -std ...)\n"
                 "\n"
                 "Exit status: 0 done (or compatible); 1 errors in the header or writing the outputs (or\n"
                 "breaking changes); 2 a bad command line (or a description it cannot read).\n";
    return 0;
}

// Reports a failure itself, naming the file: `what` is "" or "the depfile ".
bool write_output(const fs::path& path, const std::string& text, const char* what = "") {
    errno = 0;
    if (write_if_changed(path, text)) return true;
    std::cerr << "remoteobj-gen: error: cannot write " << what << "'" << path.string()
              << "': " << (errno ? std::strerror(errno) : "write failed") << "\n";
    return false;
}

// `--check-compatible OLD NEW`: 0 compatible, 1 breaking changes, 2 unreadable.
int check_compatible_files(const std::string& old_path, const std::string& new_path) {
    auto read = [](const std::string& path, std::string& text) {
        std::ifstream in(path, std::ios::binary);
        if (!in) return false;
        std::ostringstream body;
        body << in.rdbuf();
        text = body.str();
        return !in.bad();
    };
    std::string old_text, new_text;
    for (const auto& [path, text] : {std::pair{&old_path, &old_text}, std::pair{&new_path, &new_text}})
        if (!read(*path, *text)) {
            std::cerr << "remoteobj-gen: error: cannot read '" << *path << "': " << std::strerror(errno) << "\n";
            return 2;
        }
    const CompatibilityReport report = check_compatible(old_path, old_text, new_path, new_text);
    if (!report.unreadable.empty()) {
        std::cerr << "remoteobj-gen: error: " << report.unreadable << "\n";
        return 2;
    }
    for (const BreakingChange& change : report.breaking) std::cerr << change.where << ": error: " << change.message << "\n";
    return report.breaking.empty() ? 0 : 1;
}

int run(int argc, char** argv) {
    if (argc >= 2 && std::string_view(argv[1]) == "--check-compatible") {
        if (argc != 4) return usage("--check-compatible needs OLD.remote.json and NEW.remote.json");
        return check_compatible_files(argv[2], argv[3]);
    }
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
            // The target's own options, maybe for GCC: only those Clang takes (compiler_args.hpp).
            options.compiler_args = filter_compiler_args({argv + i + 1, argv + argc});
            break;
        } else if (arg == "--help") {
            return help();
        } else if (arg == "--version") {
            std::cout << "remoteobj-gen " REMOTEOBJ_VERSION "\n";
            return 0;
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
    // Filesystem failures are reported with error codes: each is the user's to
    // fix, and names its path (the throwing overloads would abort the run).
    std::error_code failure;
    if (!fs::exists(options.header, failure)) {
        std::cerr << options.header << ":1:1: error: " << (failure ? failure.message() : "no such file") << "\n";
        return 1;
    }
    if (stem.empty()) stem = fs::path(options.header).stem().string();  // shape.v1.hpp -> shape.v1, as CMake's NAME_WLE

    // Includes of the header's own generated file resolve here (see the parser).
    const fs::path dir = fs::absolute(out_dir, failure).lexically_normal();
    if (failure) {
        std::cerr << "remoteobj-gen: error: --out-dir '" << out_dir << "': " << failure.message() << "\n";
        return 1;
    }
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

    if (fs::exists(dir, failure) && !fs::is_directory(dir, failure)) {
        std::cerr << "remoteobj-gen: error: --out-dir '" << dir.string() << "' is not a directory\n";
        return 1;
    }
    fs::create_directories(dir, failure);
    if (failure) {
        std::cerr << "remoteobj-gen: error: cannot create the output directory '" << dir.string()
                  << "': " << failure.message() << "\n";
        return 1;
    }
    const EmitNames names{stem + ".remote.hpp", stem + ".remote_generated.h", user_header, siblings};
    // The types every header that uses them shares, under `--types-dir` (the target's
    // generated root: `--out-dir` is a folder below it for a header whose name another
    // one has), and their list, which the flatc step compiles.
    const fs::path root = types_dir.empty() ? dir : fs::absolute(types_dir).lexically_normal();
    std::string type_list;
    bool ok = true;
    for (const TypeTable& type : type_tables(result.model)) {
        if (!is_shared(type.type)) continue;
        fs::create_directories(root / "remoteobj_types", failure);
        ok = ok && write_output(root / (shared_path(type) + ".fbs"), shared_type_schema(type)) &&
             write_output(root / (shared_path(type) + ".remote.hpp"), shared_type_header(type));
        type_list += shared_path(type) + ".fbs\n";
    }
    ok = ok && write_output(dir / (stem + ".remote.types"), type_list) &&
         write_output(dir / (stem + ".remote.fbs"), emit_schema(result.model, names)) &&
              write_output(dir / (stem + ".remote.hpp"), emit_proxy_header(result.model, names)) &&
              write_output(dir / (stem + ".remote.cpp"), emit_proxy_source(result.model, names)) &&
              write_output(dir / (stem + ".remote.json"), emit_description(result.model, names));
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
        ok = write_output(depfile, text + "\n", "the depfile ");
    }
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    // Whatever else throws (Clang running out of memory ...) still ends as an
    // error line and status 1, not an abort a build log shows as a crash.
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "remoteobj-gen: error: " << e.what() << "\n";
        return 1;
    }
}
