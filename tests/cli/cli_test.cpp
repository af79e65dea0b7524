// The `remoteobj` command end to end: the real executable against a Shop served
// at a UNIX socket by this process, checked by exit status, stdout and stderr.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#ifdef REMOTEOBJ_CLI_TEST_GRPC
#include <remoteobj/grpc.hpp>
#endif

#include "../temp_dir.hpp"
#include "shop.hpp"

extern char** environ;

namespace {

struct Outcome {
    int status = -1;  // the exit status; -1 when it did not exit by itself
    std::string out, err;
};

// Runs the command with `args`, within 20 seconds (killed, and failed, beyond).
Outcome remoteobj_cli(const std::vector<std::string>& args) {
    int out_pipe[2], err_pipe[2];
    REQUIRE(::pipe2(out_pipe, O_CLOEXEC) == 0);
    REQUIRE(::pipe2(err_pipe, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    ::posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    std::vector<std::string> all{REMOTEOBJ_CLI};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : all) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, REMOTEOBJ_CLI, &actions, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    REQUIRE(spawned == 0);

    Outcome outcome;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* into[2] = {&outcome.out, &outcome.err};
    int open = 2;
    bool timed_out = false;
    while (open > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        if (::poll(fds, 2, static_cast<int>(left.count())) < 0) continue;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buffer[4096];
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                into[i]->append(buffer, static_cast<std::size_t>(n));
            } else {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    for (pollfd& fd : fds)
        if (fd.fd >= 0) ::close(fd.fd);
    if (timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK_MESSAGE(!timed_out, "remoteobj did not finish within 20 s");
    if (WIFEXITED(status)) outcome.status = WEXITSTATUS(status);
    // In a sanitizer build the command is instrumented too: its report fails the test here
    // (CTest never sees the command's stderr, which this test keeps).
    for (const char* report : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "WARNING: ThreadSanitizer",
                               "runtime error:"})
        CHECK_MESSAGE(outcome.err.find(report) == std::string::npos, "remoteobj reported: ", outcome.err);
    // CLI_TEST_VERBOSE=1 shows what each run printed, for a failure's cause.
    if (std::getenv("CLI_TEST_VERBOSE")) std::fprintf(stderr, "[%d] out=%s err=%s\n", outcome.status, outcome.out.c_str(), outcome.err.c_str());
    return outcome;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A Shop served at a socket of a private directory while it lives.
struct ServedShop {
    TempDir dir;
    Shop shop;
    std::string address = dir.address("shop.sock");
    remoteobj::ListenGuard listening = shop.remote.listen_at(address);
};

}  // namespace

TEST_CASE("remoteobj describe lists the served class's members with their signatures and doc comments") {
    ServedShop served;
    const Outcome o = remoteobj_cli({"describe", served.address});
    CHECK(o.status == 0);
    CHECK(contains(o.out, "class Shop  // A shop to look into from a shell."));
    CHECK(contains(o.out, "int add(int a, int b = 10)  // Adds two numbers; the second defaults to 10."));
    CHECK(contains(o.out, "int stock  // How many items are in stock."));
    CHECK(contains(o.out, "void refuse(const std::string& why)"));
    CHECK(o.err.empty());
}

TEST_CASE("remoteobj describe --json prints the description the listener sent") {
    ServedShop served;
    const Outcome o = remoteobj_cli({"describe", "--json", served.address});
    CHECK(o.status == 0);
    CHECK(contains(o.out, "\"format\": \"remoteobj-description\""));
    CHECK(contains(o.out, "\"args_table\": \"Shop_add_Args\""));
}

TEST_CASE("remoteobj call passes JSON arguments and prints the result as JSON") {
    ServedShop served;
    CHECK(remoteobj_cli({"call", served.address, "add", "2", "3"}).out == "5\n");
    CHECK(remoteobj_cli({"--timeout", "10", "call", served.address, "add", "2", "3"}).out == "5\n");
    CHECK(remoteobj_cli({"call", served.address, "add", "-7", "3"}).out == "-4\n");
    CHECK(remoteobj_cli({"call", served.address, "repeat", "ab", "3"}).out == "\"ababab\"\n");
    CHECK(remoteobj_cli({"call", served.address, "repeat", "\"12\"", "2"}).out == "\"1212\"\n");
    CHECK(remoteobj_cli({"call", served.address, "reversed", R"(["x","y","z"])"}).out == "[\"z\",\"y\",\"x\"]\n");
    CHECK(remoteobj_cli({"call", served.address, "both", "true", "false"}).out == "false\n");
    CHECK(remoteobj_cli({"call", served.address, "bigger", "1"}).out == "2\n");
}

TEST_CASE("remoteobj call passes structs as JSON objects, a field left out keeping its default") {
    ServedShop served;
    CHECK(remoteobj_cli({"call", served.address, "moved", R"({"row": 2, "label": "tea"})", "3"}).out ==
          "{\"label\":\"tea\",\"row\":5}\n");
    CHECK(remoteobj_cli({"call", served.address, "moved", R"({"label": "tea"})", "1"}).out ==
          "{\"label\":\"tea\",\"row\":1}\n");
    CHECK(remoteobj_cli({"call", served.address, "wider", R"({"width": 3})"}).out == "{\"height\":2,\"width\":6}\n");
    const Outcome unknown = remoteobj_cli({"call", served.address, "moved", R"({"rows": 2})", "1"});
    CHECK(unknown.status == 2);
    CHECK(contains(unknown.err, "Shop::moved: argument spot (1): ::Spot has no field 'rows' (its fields: row, label)"));
    const Outcome wrong = remoteobj_cli({"call", served.address, "moved", R"({"row": "two"})", "1"});
    CHECK(wrong.status == 2);
    CHECK(contains(wrong.err, "Shop::moved: argument spot (1).row: \"two\" is not an integer"));
}

TEST_CASE("remoteobj call with a trailing argument left out takes the server's default") {
    ServedShop served;
    const Outcome o = remoteobj_cli({"call", served.address, "add", "1"});
    CHECK(o.status == 0);
    CHECK(o.out == "11\n");
    const Outcome none = remoteobj_cli({"call", served.address, "add"});
    CHECK(none.status == 2);
    CHECK(contains(none.err, "Shop::add needs at least 1 argument"));
}

TEST_CASE("remoteobj get and set round-trip a field's value") {
    ServedShop served;
    CHECK(remoteobj_cli({"get", served.address, "stock"}).out == "5\n");
    CHECK(remoteobj_cli({"set", served.address, "stock", "42"}).status == 0);
    CHECK(remoteobj_cli({"get", served.address, "stock"}).out == "42\n");
    CHECK(remoteobj_cli({"set", served.address, "name", "market"}).status == 0);
    CHECK(remoteobj_cli({"get", served.address, "name"}).out == "\"market\"\n");
    CHECK(remoteobj_cli({"set", served.address, "prices", "[3, 4.5]"}).status == 0);
    CHECK(remoteobj_cli({"get", served.address, "prices"}).out == "[3.0,4.5]\n");
    std::lock_guard lock(served.shop.remote.mutex());
    CHECK(served.shop.stock == 42);
    CHECK(served.shop.name == "market");
}

TEST_CASE("remoteobj call exits 1 with the thrown type, message and trace on stderr when the member throws") {
    ServedShop served;
    const Outcome o = remoteobj_cli({"call", served.address, "refuse", "closed"});
    CHECK(o.status == 1);
    CHECK(o.out.empty());
    CHECK(contains(o.err, "std::invalid_argument: refused: closed"));
}

TEST_CASE("remoteobj exits 2 for an unknown member, suggesting the closest names") {
    ServedShop served;
    const Outcome o = remoteobj_cli({"call", served.address, "ad", "1"});
    CHECK(o.status == 2);
    CHECK(contains(o.err, "Shop has no member named 'ad'; did you mean 'add'"));
    const Outcome field = remoteobj_cli({"get", served.address, "stok"});
    CHECK(field.status == 2);
    CHECK(contains(field.err, "did you mean 'stock'"));
}

TEST_CASE("remoteobj exits 2 naming the parameter for a value of the wrong type or out of range") {
    ServedShop served;
    const Outcome wrong = remoteobj_cli({"call", served.address, "add", "1", "\"two\""});
    CHECK(wrong.status == 2);
    CHECK(contains(wrong.err, "Shop::add: argument b (2): \"two\" is not an integer"));
    const Outcome range = remoteobj_cli({"call", served.address, "repeat", "ab", "300"});
    CHECK(range.status == 2);
    CHECK(contains(range.err, "argument times (2): 300 is out of range for unsigned char (0..255)"));
    const Outcome enumerator = remoteobj_cli({"call", served.address, "bigger", "7"});
    CHECK(enumerator.status == 2);
    CHECK(contains(enumerator.err, "argument s (1): 7 is not an enumerator"));
    const Outcome field = remoteobj_cli({"set", served.address, "stock", "[1]"});
    CHECK(field.status == 2);
    CHECK(contains(field.err, "Shop::stock: [1] is not an integer"));
    std::lock_guard lock(served.shop.remote.mutex());
    CHECK(served.shop.stock == 5);  // nothing was sent
}

TEST_CASE("remoteobj reaches an object served at an abstract unix:@name address") {
    Shop shop;
    const std::string address = "unix:@remoteobj-cli-test-" + std::to_string(::getpid());
    auto listening = shop.remote.listen_at(address);
    CHECK(remoteobj_cli({"call", address, "add", "20", "22"}).out == "42\n");
    const Outcome o = remoteobj_cli({"describe", address});
    CHECK(o.status == 0);
    CHECK(contains(o.out, "class Shop"));
}

TEST_CASE("remoteobj refuses a value of a kind it cannot encode yet, naming the member and the kind") {
    ServedShop served;
    const Outcome o = remoteobj_cli({"call", served.address, "count", R"({"a": 1})"});
    CHECK(o.status == 2);
    CHECK(contains(o.err, "Shop::count: argument entries (1): values of type"));
    CHECK(contains(o.err, "(kind 'map') are not encoded by this tool yet"));
}

TEST_CASE("remoteobj --timeout ends a request the listener does not answer in time with exit 2") {
    ServedShop served;
    std::lock_guard lock(served.shop.remote.mutex());  // the listener cannot serve while the owner holds it
    const Outcome o = remoteobj_cli({"--timeout", "0.3", "get", served.address, "stock"});
    CHECK(o.status == 2);
    CHECK(contains(o.err, "deadline"));
    CHECK(o.out.empty());
}

TEST_CASE("remoteobj exits 2 when nobody listens at the address") {
    TempDir dir;
    const Outcome o = remoteobj_cli({"describe", dir.address("nobody.sock")});
    CHECK(o.status == 2);
    CHECK(contains(o.err, "remoteobj: nobody listens at " + dir.address("nobody.sock")));
    CHECK(!contains(o.err, "remoteobj: remoteobj:"));
    CHECK(o.out.empty());
}

TEST_CASE("remoteobj --help and COMMAND --help print the usage and exit 0, bad usage exits 2") {
    const Outcome help = remoteobj_cli({"--help"});
    CHECK(help.status == 0);
    CHECK(contains(help.out, "usage: remoteobj COMMAND ADDRESS"));
    const Outcome call_help = remoteobj_cli({"call", "--help"});
    CHECK(call_help.status == 0);
    CHECK(contains(call_help.out, "usage: remoteobj call ADDRESS METHOD [ARG...]"));
    CHECK(remoteobj_cli({"--version"}).out.starts_with("remoteobj "));
    CHECK(remoteobj_cli({}).status == 2);
    CHECK(remoteobj_cli({"frobnicate", "unix:@x"}).status == 2);
    const Outcome timeout = remoteobj_cli({"--timeout", "soon", "describe", "unix:@x"});
    CHECK(timeout.status == 2);
    CHECK(contains(timeout.err, "--timeout takes a number of seconds"));
    const Outcome foreign = remoteobj_cli({"describe", "tcp://localhost:1"});
    CHECK(foreign.status == 2);
    CHECK(contains(foreign.err, "is not an address this tool reaches"));
    const Outcome no_token = remoteobj_cli({"describe", "grpc://localhost:1", "--token"});
    CHECK(no_token.status == 2);
    CHECK(contains(no_token.err, "--token takes a value"));
    const Outcome token_for_unix = remoteobj_cli({"describe", "unix:@x", "--token", "t"});
    CHECK(token_for_unix.status == 2);
    CHECK(contains(token_for_unix.err, "--token and --tls-ca are for grpc:// addresses"));
}

#ifdef REMOTEOBJ_CLI_TEST_GRPC
TEST_CASE("remoteobj reaches an object served over gRPC at grpc://127.0.0.1:PORT, and says who refused a token") {
    Shop shop;
    auto server = remoteobj::grpc::serve(shop, "127.0.0.1:0", {.token = "sesame"});
    const std::string address = "grpc://127.0.0.1:" + std::to_string(server.port());
    Outcome o = remoteobj_cli({"call", address, "add", "2", "3", "--token", "sesame"});
    CHECK(o.status == 0);
    CHECK(o.out == "5\n");
    o = remoteobj_cli({"describe", "--token", "sesame", address});
    CHECK(o.status == 0);
    CHECK(contains(o.out, "int add(int a, int b = 10)"));
    o = remoteobj_cli({"set", "--token", "sesame", address, "stock", "41"});
    CHECK(o.status == 0);
    CHECK(shop.stock == 41);
    o = remoteobj_cli({"get", address, "stock", "--token", "wrong"});
    CHECK(o.status == 2);
    CHECK_MESSAGE(contains(o.err, "token"), o.err);
    o = remoteobj_cli({"get", "grpc://127.0.0.1", "stock"});
    CHECK(o.status == 2);
    CHECK_MESSAGE(contains(o.err, "names no port"), o.err);
}
#endif
