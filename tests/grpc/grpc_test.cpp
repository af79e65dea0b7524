// remoteobj::grpc: the generated proxies over gRPC, on the loopback interface only.
//
// CTest runs each case in a process of its own (doctest_discover_tests), and a
// case forks what it forks before it first uses gRPC: a child of a process whose
// gRPC threads run may not use gRPC itself (gRPC's rule).
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <remoteobj/grpc.hpp>

#include "job.hpp"
#include "job.remote_generated.h"
#include "test_support.hpp"
#include "widget.remote_generated.h"

namespace {

using namespace std::chrono_literals;

std::string loopback(int port) { return "127.0.0.1:" + std::to_string(port); }

}  // namespace

TEST_CASE("gRPC: calls, fields, typed exceptions, async calls and a 1 MiB argument on 127.0.0.1") {
    Watchdog watchdog(120s, "gRPC calls");
    Widget obj;
    auto server = remoteobj::grpc::serve(obj, "127.0.0.1:0");
    REQUIRE(server.port() > 0);
    auto widget = remoteobj::grpc::connect<Widget>(loopback(server.port()));
    CHECK(widget->add(1, 2) == 3);
    CHECK(widget->greet("you") == "hello you!");
    widget->label.set("over grpc");
    CHECK(widget->label.get() == "over grpc");
    CHECK(obj.label == "over grpc");
    CHECK_THROWS_AS(widget->fail_custom("custom"), WidgetError);
    CHECK_THROWS_WITH_AS(widget->fail("bad"), "bad", std::invalid_argument);

    std::vector<remoteobj::future<int>> futures;
    for (int i = 0; i < 64; ++i) futures.push_back(widget->add.async(i, i));
    for (int i = 0; i < 64; ++i) CHECK(futures[static_cast<std::size_t>(i)].get() == 2 * i);

    std::vector<int> big(256 * 1024, 1);  // 1 MiB
    CHECK(widget->sum(big) == 256 * 1024);
    CHECK(widget.describe() == "<grpc::Connection Widget: " + loopback(server.port()) + ">");
}
