// A caller built from v1/evolving.hpp against a listener built from v2: what v1
// knows keeps working; the method whose parameter type v2 changed is refused by
// name, and a value v1 has no enumerator for is refused, value by value.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include <remoteobj/remoteobj.hpp>

#include "../mismatch_of.hpp"
#include "../process_sync.hpp"
#ifdef REMOTEOBJ_EVOLVE_GRPC
#include <remoteobj/grpc.hpp>
#endif

#include "evolving.hpp"
#include "peer_server.hpp"

TEST_CASE("a v1 caller calls a v2 listener: old members work, a defaulted new parameter takes its default") {
    Watchdog watchdog(std::chrono::seconds(30), "v1 meets v2: old members");
    PeerServer v2(REMOTEOBJ_EVOLVE_PEER);
    auto evolving = remoteobj::connect<Evolving>(v2.address());
    CHECK(evolving->add(5) == 5);  // v2's add(amount, times = 1): times took its default
    CHECK(evolving->add(2) == 7);
    // v2 declares `motto` before these: fields are found by name, not position.
    CHECK(evolving->total.get() == 7);
    CHECK(evolving->name.get() == "evolving");
    evolving->name = "renamed";
    CHECK(evolving->name.get() == "renamed");
}

TEST_CASE("a v1 caller and a v2 listener exchange by-value structs: the field v1 lacks takes its default") {
    Watchdog watchdog(std::chrono::seconds(30), "v1 meets v2: structs");
    PeerServer v2(REMOTEOBJ_EVOLVE_PEER);
    auto evolving = remoteobj::connect<Evolving>(v2.address());
    const Settings made = evolving->settings();  // v2's, with a field v1 does not know
    CHECK(made.width == 1);
    CHECK(made.label == "v2");
    // v1's Settings has no `bold`: v2 reads its default member initialiser (true),
    // neither zero nor garbage.
    CHECK(evolving->describe(Settings{3, "mine"}) == "3 mine bold");
}

TEST_CASE("a v1 caller meets v2's changed method: InterfaceMismatch names it, everything else works") {
    Watchdog watchdog(std::chrono::seconds(30), "v1 meets v2: changed method");
    PeerServer v2(REMOTEOBJ_EVOLVE_PEER);
    auto evolving = remoteobj::connect<Evolving>(v2.address());
    CHECK(evolving->add(4) == 4);
    const std::string message = mismatch_of([&] { evolving->scale(2); });
    INFO(message);
    // Refused by this caller, from the members the listener announced on connect:
    // both signatures named, and the request never sent.
    CHECK(message.find("Evolving::scale(int32) -> int32") != std::string::npos);
    CHECK(message.find("has Evolving::scale(int64) -> int32 instead") != std::string::npos);
    CHECK(message.find("nothing was sent") != std::string::npos);
    CHECK(evolving->add(1) == 5);  // the connection goes on
    CHECK(evolving->total.get() == 5);
}

TEST_CASE("a v1 caller is sent an enumerator it does not know: that value is refused, others pass") {
    Watchdog watchdog(std::chrono::seconds(30), "v1 meets v2: enum");
    PeerServer v2(REMOTEOBJ_EVOLVE_PEER);
    auto evolving = remoteobj::connect<Evolving>(v2.address());
    CHECK(evolving->next_mode(Mode::slow) == Mode::fast);
    // v2 answers Mode::turbo (2): never cast into a v1 Mode.
    CHECK_THROWS_WITH_AS(evolving->next_mode(Mode::fast), doctest::Contains("2 is not a value of"),
                         remoteobj::ProtocolError);
    CHECK(evolving->next_mode(Mode::slow) == Mode::fast);
}

TEST_CASE("a v1 caller asks a v2 listener for its description: the JSON v2's generator wrote") {
    Watchdog watchdog(std::chrono::seconds(30), "v1 meets v2: describe");
    PeerServer v2(REMOTEOBJ_EVOLVE_PEER);
    std::ifstream file(REMOTEOBJ_EVOLVE_PEER_DESCRIPTION);
    REQUIRE(file);
    std::stringstream written;
    written << file.rdbuf();
    const remoteobj::Description description = remoteobj::describe(v2.address());
    CHECK(description.served_class == "Evolving");
    CHECK(description.json == written.str());
    CHECK(description.json.find("\"wire_signature\": \"method reset() -> int32\"") != std::string::npos);
    // Over a typed connection too, which keeps working after it.
    auto evolving = remoteobj::connect<Evolving>(v2.address());
    CHECK(evolving.description() == written.str());
    CHECK(evolving->add(2) == 2);
}

#ifdef REMOTEOBJ_EVOLVE_GRPC
TEST_CASE("over gRPC, a v1 caller meets a v2 server: old members and structs work, the changed method is refused by "
          "name before sending") {
    Watchdog watchdog(std::chrono::seconds(30), "v1 meets v2 over gRPC");
    PeerServer v2(REMOTEOBJ_EVOLVE_PEER, PeerServer::Over::grpc);
    auto evolving = remoteobj::grpc::connect<Evolving>(v2.address());
    CHECK(evolving->add(5) == 5);  // v2's times took its default
    CHECK(evolving->total.get() == 5);
    CHECK(evolving->settings().label == "v2");
    CHECK(evolving->describe(Settings{3, "mine"}) == "3 mine bold");
    const std::string message = mismatch_of([&] { evolving->scale(2); });
    CHECK_MESSAGE(message.find("has Evolving::scale(int64) -> int32 instead") != std::string::npos, message);
    CHECK_MESSAGE(message.find("nothing was sent") != std::string::npos, message);
    CHECK(evolving->add(1) == 6);
}
#endif
