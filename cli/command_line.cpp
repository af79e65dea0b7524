// Reading the command line; see command_line.hpp.
#include "command_line.hpp"

#include <fmt/format.h>

#include "endpoint.hpp"
#include "usage_error.hpp"

namespace remoteobj::cli {

namespace {

double parse_seconds(const std::string& word) {
    const nlohmann::json value = nlohmann::json::parse(word, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded() || !value.is_number() || value.get<double>() <= 0 || value.get<double>() > 1e6)
        throw UsageError(fmt::format("--timeout takes a number of seconds (0 < SECONDS <= 1000000), not '{}'", word));
    return value.get<double>();
}

// The word after option args[i], which it consumes.
const std::string& option_value(const std::vector<std::string>& args, std::size_t& i) {
    if (i + 1 >= args.size() || args[i + 1].empty())
        throw UsageError(fmt::format("{} takes a value (see remoteobj --help)", args[i]));
    return args[++i];
}

}  // namespace

Invocation parse_command_line(const std::vector<std::string>& args) {
    Invocation out;
    bool options_end = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        // A negative number is a value, not an option: `call ADDR add -3`.
        const bool option = !options_end && arg.size() > 1 && arg[0] == '-' &&
                            !(arg[1] >= '0' && arg[1] <= '9');
        if (option) {
            if (arg == "--") options_end = true;
            else if (arg == "--help" || arg == "-h") out.help = true;
            else if (arg == "--json") out.json = true;
            else if (arg == "--version") out.version = true;
            else if (arg == "--timeout") out.timeout = parse_seconds(i + 1 < args.size() ? args[++i] : "");
            else if (arg == "--token") out.token = option_value(args, i);
            else if (arg == "--tls-ca") out.tls_ca = option_value(args, i);
            else throw UsageError(fmt::format("unknown option '{}' (see remoteobj --help)", arg));
            continue;
        }
        if (out.command.empty()) out.command = arg;
        else out.operands.push_back(arg);
    }
    return out;
}

nlohmann::json parse_value(std::string_view word) {
    nlohmann::json value = nlohmann::json::parse(word, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) return nlohmann::json(std::string(word));
    return value;
}

void check_address(std::string_view address) {
    if (address.starts_with("unix:") && address.size() > 5) return;
    if (address.starts_with("grpc://")) {
        if (!reaches_grpc())
            throw UsageError(fmt::format("{}: this remoteobj was built without gRPC (REMOTEOBJ_WITH_GRPC=OFF)", address));
        if (address.size() > 7 && address.rfind(':') > 6) return;
        throw UsageError(fmt::format("'{}' names no port: give grpc://host:port", address));
    }
    throw UsageError(fmt::format("'{}' is not an address this tool reaches: give unix:/path/to/socket, "
                                 "unix:@abstract-name or grpc://host:port",
                                 address));
}

}  // namespace remoteobj::cli
