// A caller built from v2/evolving.hpp against a listener built from v1: what v1
// has keeps working; v2's new members and its changed method are refused by
// name (InterfaceMismatch), each alone, and the connection goes on.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <remoteobj/remoteobj.hpp>

#include "../mismatch_of.hpp"
#include "../process_sync.hpp"
#ifdef REMOTEOBJ_EVOLVE_GRPC
#include <remoteobj/grpc.hpp>
#endif

#include "evolving.hpp"
#include "peer_server.hpp"

TEST_CASE("a v2 caller calls a v1 listener: old members work, fields are found by name") {
    Watchdog watchdog(std::chrono::seconds(30), "v2 meets v1: old members");
    PeerServer v1(REMOTEOBJ_EVOLVE_PEER);
    auto evolving = remoteobj::connect<Evolving>(v1.address());
    CHECK(evolving->add(5) == 5);  // without the new parameter: v1's add(amount)
    CHECK(evolving->total.get() == 5);
    CHECK(evolving->name.get() == "evolving");  // declared after `motto` here, not in v1
}

TEST_CASE("a v2 caller's new members against a v1 listener: InterfaceMismatch names each, the rest works") {
    Watchdog watchdog(std::chrono::seconds(30), "v2 meets v1: new members");
    PeerServer v1(REMOTEOBJ_EVOLVE_PEER);
    auto evolving = remoteobj::connect<Evolving>(v1.address());
    CHECK(evolving->add(3) == 3);

    std::string message = mismatch_of([&] { evolving->reset(); });
    CHECK_MESSAGE(message.find("Evolving::reset() -> int32") != std::string::npos, message);
    // Refused before sending, from the members v1 announced on connect.
    CHECK_MESSAGE(message.find("has no member named reset") != std::string::npos, message);
    CHECK_MESSAGE(message.find("nothing was sent") != std::string::npos, message);
    message = mismatch_of([&] { evolving->motto.get(); });
    CHECK_MESSAGE(message.find("Evolving::motto: string") != std::string::npos, message);
    CHECK_MESSAGE(message.find("has no member named motto") != std::string::npos, message);
    message = mismatch_of([&] { [[maybe_unused]] auto subscription = evolving->grown.subscribe([](int) {}); });
    CHECK_MESSAGE(message.find("Evolving::grown(int32)") != std::string::npos, message);
    CHECK_MESSAGE(message.find("nothing was sent") != std::string::npos, message);
    // The new trailing parameter, passed: v1's add takes one argument.
    message = mismatch_of([&] { evolving->add(1, 10); });
    CHECK_MESSAGE(message.find("Evolving::add(int32) -> int32") != std::string::npos, message);
    CHECK_MESSAGE(message.find("at most 1 argument") != std::string::npos, message);
    // The method whose parameter type changed is another member for v1.
    message = mismatch_of([&] { evolving->scale(2); });
    CHECK_MESSAGE(message.find("Evolving::scale(int64) -> int32") != std::string::npos, message);
    CHECK_MESSAGE(message.find("has Evolving::scale(int32) -> int32 instead") != std::string::npos, message);

    CHECK(evolving->add(1) == 4);  // nothing above changed the object or the connection
    CHECK(evolving->total.get() == 4);
}

TEST_CASE("a v2 caller and a v1 listener exchange by-value structs: the field v1 lacks takes its default") {
    Watchdog watchdog(std::chrono::seconds(30), "v2 meets v1: structs");
    PeerServer v1(REMOTEOBJ_EVOLVE_PEER);
    auto evolving = remoteobj::connect<Evolving>(v1.address());
    const Settings made = evolving->settings();  // v1's, without `bold`
    CHECK(made.width == 1);
    CHECK(made.label == "v1");
    CHECK(made.bold);  // its default member initialiser, not value-initialised false
    CHECK(evolving->describe(Settings{3, "mine", false}) == "3 mine");  // v1 ignores what it lacks
}

TEST_CASE("a v2 caller sends an enumerator v1 does not know: that value is refused, others pass") {
    Watchdog watchdog(std::chrono::seconds(30), "v2 meets v1: enum");
    PeerServer v1(REMOTEOBJ_EVOLVE_PEER);
    auto evolving = remoteobj::connect<Evolving>(v1.address());
    CHECK_THROWS_WITH_AS(evolving->next_mode(Mode::turbo), doctest::Contains("2 is not a value of"),
                         remoteobj::ProtocolError);
    CHECK(evolving->next_mode(Mode::slow) == Mode::fast);
}

#ifdef REMOTEOBJ_EVOLVE_GRPC
TEST_CASE("over gRPC, a v2 caller meets a v1 server: old members work, new ones are refused by name before sending") {
    Watchdog watchdog(std::chrono::seconds(30), "v2 meets v1 over gRPC");
    PeerServer v1(REMOTEOBJ_EVOLVE_PEER, PeerServer::Over::grpc);
    auto evolving = remoteobj::grpc::connect<Evolving>(v1.address());
    CHECK(evolving->add(5) == 5);
    CHECK(evolving->name.get() == "evolving");
    CHECK(evolving->settings().bold);  // v1 lacks it: the default member initialiser
    std::string message = mismatch_of([&] { evolving->reset(); });
    CHECK_MESSAGE(message.find("has no member named reset") != std::string::npos, message);
    CHECK_MESSAGE(message.find("nothing was sent") != std::string::npos, message);
    message = mismatch_of([&] { evolving->add(1, 10); });
    CHECK_MESSAGE(message.find("at most 1 argument") != std::string::npos, message);
    CHECK(evolving->add(1) == 6);
}
#endif
