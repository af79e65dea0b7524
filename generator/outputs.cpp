// Output paths and writes of remoteobj-gen; see outputs.hpp.
#include "outputs.hpp"

#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

namespace remoteobj::gen {

namespace fs = std::filesystem;

std::string include_spelling(const fs::path& header, const std::vector<std::string>& compiler_args,
                             const fs::path& out_dir) {
    const fs::path target = fs::absolute(header).lexically_normal();
    std::string best;
    for (std::size_t i = 0; i < compiler_args.size(); ++i) {
        std::string dir;
        const std::string& arg = compiler_args[i];
        if (arg.rfind("-I", 0) == 0 && arg.size() > 2)
            dir = arg.substr(2);
        else if ((arg == "-I" || arg == "-isystem" || arg == "-iquote") && i + 1 < compiler_args.size())
            dir = compiler_args[++i];
        if (dir.empty()) continue;
        const fs::path relative = target.lexically_relative(fs::absolute(dir).lexically_normal());
        if (relative.empty() || *relative.begin() == "..") continue;
        if (best.empty() || relative.string().size() < best.size()) best = relative.generic_string();
    }
    if (!best.empty()) return best;
    return target.lexically_relative(fs::absolute(out_dir).lexically_normal()).generic_string();
}

bool write_if_changed(const fs::path& path, const std::string& text) {
    {
        std::ifstream in(path, std::ios::binary);
        if (in) {
            std::stringstream current;
            current << in.rdbuf();
            if (current.str() == text) return true;
        }
    }
    const fs::path temporary = path.string() + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) return false;
    }
    std::error_code error;
    fs::rename(temporary, path, error);
    if (error) {
        std::error_code ignored;  // the rename's error is the one to report
        fs::remove(temporary, ignored);
        errno = error.value();
        return false;
    }
    return true;
}

}  // namespace remoteobj::gen
