// Reading the command line: which command, its address, member and values.
// Knows nothing of connections or FlatBuffers; never prints.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace remoteobj::cli {

/// One run of the command, as the user typed it.
struct Invocation {
    std::string command;              // "describe", "call", "get", "set"; "" for none
    std::vector<std::string> operands;  // what follows the command, options removed
    bool help = false;                // --help / -h
    bool json = false;                // --json
    bool version = false;             // --version
    double timeout = 0;               // --timeout SECONDS: bounds connecting and the request (0: none)
    std::string token;                // --token TOKEN: a grpc:// server's token
    std::string tls_ca;               // --tls-ca FILE: TLS to a grpc:// server, trusting these authorities
};

/// Splits argv (without argv[0]). Throws UsageError for an option it does not know.
Invocation parse_command_line(const std::vector<std::string>& args);

/// An argument as typed: a JSON value, or, when the word is not valid JSON, that
/// word as a string (`remoteobj call ADDR greet ann` passes "ann").
nlohmann::json parse_value(std::string_view word);

/// Refuses an address the tool cannot reach (`unix:/path`, `unix:@name`, and
/// `grpc://host:port` where built with gRPC).
void check_address(std::string_view address);

}  // namespace remoteobj::cli
