// Leaving out the compile options Clang would refuse; see compiler_args.hpp.
#include "parse/compiler_args.hpp"

#include <clang/Driver/Options.h>
#include <llvm/Option/Arg.h>
#include <llvm/Option/ArgList.h>
#include <llvm/Option/OptTable.h>

namespace remoteobj::gen {
namespace {

bool reaches_clang(const llvm::opt::Option& option) {
    namespace options = clang::driver::options;
    // What the driver reports as "unknown argument" or "unsupported option".
    if (option.getKind() == llvm::opt::Option::UnknownClass || option.hasFlag(options::Unsupported)) return false;
    return !option.matches(options::OPT_W_Group) && !option.matches(options::OPT_w) &&
           !option.matches(options::OPT_pedantic_Group);
}

}  // namespace

std::vector<std::string> filter_compiler_args(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    unsigned missing_index = 0, missing_count = 0;
    // As the driver ClangTool runs reads them (not cl, not cc1).
    const llvm::opt::InputArgList parsed = clang::driver::getDriverOptTable().ParseArgs(
        argv, missing_index, missing_count, llvm::opt::Visibility(clang::driver::options::ClangOption));

    // Each parsed option spans from its index to the next one's: its separate
    // values (and any empty strings, which the parser skips) go with it.
    std::vector<bool> keep(args.size(), true);
    const llvm::opt::Arg* previous = nullptr;
    auto mark = [&](const llvm::opt::Arg* arg, std::size_t end) {
        if (arg && !reaches_clang(arg->getOption()))
            for (std::size_t i = arg->getIndex(); i < end; ++i) keep[i] = false;
    };
    for (const llvm::opt::Arg* arg : parsed) {
        mark(previous, arg->getIndex());
        previous = arg;
    }
    mark(previous, args.size());

    std::vector<std::string> kept;
    for (std::size_t i = 0; i < args.size(); ++i)
        if (keep[i]) kept.push_back(args[i]);
    return kept;
}

}  // namespace remoteobj::gen
