// remoteobj, the command: describe, call, get and set any served object from a
// shell, through the description its listener sends (docs/cli.md). This file
// reads the command line and turns outcomes into exit statuses: 0 done, 1 the
// member threw, 2 anything else. It never encodes a value itself.
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <remoteobj/deadline.hpp>
#include <remoteobj/error.hpp>
#include <remoteobj/remote_exception.hpp>

#include "command_line.hpp"
#include "commands.hpp"
#include "served_object.hpp"
#include "usage_error.hpp"

namespace {

using remoteobj::cli::UsageError;

constexpr int exit_done = 0;
constexpr int exit_member_threw = 1;
constexpr int exit_other = 2;

constexpr const char* usage = R"(usage: remoteobj COMMAND ADDRESS [...]

Reaches an object served at ADDRESS through the description its listener sends:
no header and no rebuild. Values are JSON; a word that is not JSON is a string.

commands:
  describe ADDRESS [--json]        the served class's members, signatures and doc comments
  call ADDRESS METHOD [ARG...]     calls METHOD, prints its result as JSON; omitted
                                   trailing arguments take their defaults in the server
  get ADDRESS FIELD                prints the field's value as JSON
  set ADDRESS FIELD VALUE          sets the field

ADDRESS is unix:/path/to/socket, unix:@abstract-name, or grpc://host:port (where
built with gRPC; --token TOKEN for a server that asks for one, --tls-ca FILE for
TLS trusting the authorities in that PEM file).
--timeout SECONDS bounds connecting and the request (default: no bound).
Exit status: 0 done, 1 the member threw (type, message and trace on stderr),
2 anything else (usage, no such member, a wrong value, nobody listens).
`remoteobj COMMAND --help` describes one command; docs/cli.md has more.
)";

struct CommandHelp {
    const char* name;
    std::size_t operands_min, operands_max;
    const char* text;
};

constexpr CommandHelp commands[] = {
    {"describe", 1, 1,
     "usage: remoteobj describe ADDRESS [--json]\n\n"
     "Prints the served class and one line per member: its kind, its C++ declaration and its doc\n"
     "comment. --json prints the whole description as the listener sent it (docs/description.md).\n"},
    {"call", 2, 257,
     "usage: remoteobj call ADDRESS METHOD [ARG...]\n\n"
     "Calls METHOD with the ARGs, each a JSON value (a word that is not JSON is a string:\n"
     "`call ADDR greet ann`), and prints its result as one line of JSON (nothing for void).\n"
     "Arguments left out at the end take their defaults in the server. Exit status 1 when the\n"
     "method throws: its type, message and stack trace on stderr.\n"},
    {"get", 2, 2, "usage: remoteobj get ADDRESS FIELD\n\nPrints the field's value as one line of JSON.\n"},
    {"set", 3, 3,
     "usage: remoteobj set ADDRESS FIELD VALUE\n\nSets the field to VALUE, a JSON value (a word that is not "
     "JSON is a string).\n"},
};

const CommandHelp* find_command(const std::string& name) {
    for (const CommandHelp& command : commands)
        if (name == command.name) return &command;
    return nullptr;
}

// What the member threw, as a person debugging wants it: where, what, and the stack.
void report_thrown(const std::exception& e, const remoteobj::RemoteInfo& info) {
    std::string out = fmt::format("remoteobj: the member threw {}: {}\n", info.type, e.what());
    if (!info.process_name.empty() || info.pid != 0)
        out += fmt::format("  in {} (pid {})\n", info.process_name, info.pid);
    for (const std::string& frame : info.trace) out += fmt::format("    at {}\n", frame);
    std::fputs(out.c_str(), stderr);
}

int run(const std::vector<std::string>& args) {
    const remoteobj::cli::Invocation invocation = remoteobj::cli::parse_command_line(args);
    if (invocation.version) {
        std::fputs("remoteobj " REMOTEOBJ_VERSION "\n", stdout);
        return exit_done;
    }
    if (invocation.command.empty()) {
        if (invocation.help) {
            std::fputs(usage, stdout);
            return exit_done;
        }
        throw UsageError("no command given (see remoteobj --help)");
    }
    const CommandHelp* command = find_command(invocation.command);
    if (!command)
        throw UsageError(fmt::format("unknown command '{}': describe, call, get or set (see remoteobj --help)",
                                     invocation.command));
    if (invocation.help) {
        std::fputs(command->text, stdout);
        return exit_done;
    }
    const std::vector<std::string>& operands = invocation.operands;
    if (operands.size() < command->operands_min || operands.size() > command->operands_max)
        throw UsageError(fmt::format("wrong number of operands\n{}", command->text));
    if (invocation.json && invocation.command != "describe")
        throw UsageError(fmt::format("--json is for describe ({} prints JSON already)", invocation.command));
    remoteobj::cli::check_address(operands[0]);
    std::optional<remoteobj::deadline> bound;  // this thread's calls end with Timeout past it
    if (invocation.timeout > 0) bound.emplace(std::chrono::duration<double>(invocation.timeout));
    remoteobj::cli::ServedObject object(operands[0], {invocation.token, invocation.tls_ca});
    if (invocation.command == "describe") remoteobj::cli::run_describe(object, invocation.json);
    else if (invocation.command == "call")
        remoteobj::cli::run_call(object, operands[1], {operands.begin() + 2, operands.end()});
    else if (invocation.command == "get") remoteobj::cli::run_get(object, operands[1]);
    else remoteobj::cli::run_set(object, operands[1], operands[2]);
    return exit_done;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const UsageError& e) {
        std::fputs(fmt::format("remoteobj: {}\n", e.what()).c_str(), stderr);
        return exit_other;
    } catch (const std::exception& e) {
        // An exception that came from the member carries its RemoteInfo; anything
        // else (NotListening, AccessDenied, a rejected request) is this tool's failure.
        if (const remoteobj::RemoteInfo* info = remoteobj::remote_info(e)) {
            report_thrown(e, *info);
            return exit_member_threw;
        }
        // The runtime's own messages may start with "remoteobj: " already.
        const std::string_view what = e.what();
        std::fputs(fmt::format("{}{}\n", what.starts_with("remoteobj: ") ? "" : "remoteobj: ", what).c_str(), stderr);
        return exit_other;
    }
}
