// What a listener's Hello announces (issue #30 item 3): the served class's members,
// against which a caller refuses, before sending, a call to one the listener
// lacks; and how a caller treats a table no remoteobj listener sends. The
// listener is played at the wire by a thread: a fake that greets and hangs up, or
// a relay to a real listener that greets with a table of its own making.
#include <doctest/doctest.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <remoteobj/remoteobj.hpp>

#include "test_support.hpp"

namespace {

using MemberTable = std::vector<std::pair<std::uint32_t, std::pair<std::string, std::string>>>;

MemberTable widget_table() {
    MemberTable table;
    const auto& ours = remoteobj::detail::interface_of<Widget>();
    for (std::size_t i = 0; i < ours.member_count; ++i)
        table.push_back({ours.members[i].id, {ours.members[i].name, ours.members[i].wire_signature}});
    return table;
}

/// A Hello for Widget in session `epoch` announcing `table`.
std::vector<std::uint8_t> hello_announcing(const MemberTable& table, std::uint32_t epoch) {
    flatbuffers::FlatBufferBuilder fbb;
    std::vector<flatbuffers::Offset<remoteobj::wire::HelloMember>> members;
    for (const auto& [id, named] : table)
        members.push_back(remoteobj::wire::CreateHelloMember(
            fbb, id, named.first.empty() ? 0 : fbb.CreateString(named.first),
            named.second.empty() ? 0 : fbb.CreateString(named.second)));
    const auto& ours = remoteobj::detail::interface_of<Widget>();
    auto hello = remoteobj::wire::CreateHello(fbb, remoteobj::detail::protocol_version, ours.hash,
                                              fbb.CreateString(ours.class_name), epoch, 0, false,
                                              fbb.CreateVector(members));
    fbb.FinishSizePrefixed(remoteobj::wire::CreateEnvelope(fbb, remoteobj::wire::Message::Hello, hello.Union()));
    return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool read_all(int fd, std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::read(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

/// A socket listening at `address` for one connection, served by `play` on a thread.
class FakeListener {
public:
    FakeListener(const std::string& address, std::function<void(remoteobj::detail::Fd)> play)
        : server_{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)} {
        REQUIRE(server_);
        const auto bound = remoteobj::testing::unix_address(address);
        REQUIRE(::bind(server_.get(), bound.get(), bound.length) == 0);
        REQUIRE(::listen(server_.get(), 1) == 0);
        thread_ = std::thread([this, play = std::move(play)] {
            remoteobj::detail::Fd client{::accept4(server_.get(), nullptr, nullptr, SOCK_CLOEXEC)};
            if (client) play(std::move(client));
        });
    }
    ~FakeListener() {
        // Wakes an accept() nobody came for (a test that failed before connecting).
        ::shutdown(server_.get(), SHUT_RDWR);
        thread_.join();
    }

private:
    remoteobj::detail::Fd server_;
    std::thread thread_;
};

/// What connect<Widget>() says of a listener that greets with `table` and hangs up:
/// the message of the ProtocolError it throws, or "" when it connected.
std::string connecting_to_table(const MemberTable& table) {
    TempDir dir;
    const std::string address = dir.address("fake.sock");
    FakeListener fake(address, [&table](remoteobj::detail::Fd client) {
        const auto hello = hello_announcing(table, 1);
        write_all(client.get(), hello.data(), hello.size());
    });
    remoteobj::deadline within(std::chrono::seconds(10));
    try {
        auto widget = remoteobj::connect<Widget>(address);
    } catch (const remoteobj::ProtocolError& e) {
        return e.what();
    }
    return "";
}

/// Relays one connection to the real listener at `real`, replacing its Hello by
/// one announcing `table` (in the real one's session), until either side closes.
void relay_with_table(remoteobj::detail::Fd client, const std::string& real, const MemberTable& table) {
    remoteobj::detail::Fd upstream{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    const auto at = remoteobj::testing::unix_address(real);
    if (::connect(upstream.get(), at.get(), at.length) != 0) return;
    std::uint32_t size = 0;
    if (!read_all(upstream.get(), reinterpret_cast<std::uint8_t*>(&size), sizeof size)) return;
    std::vector<std::uint8_t> frame(sizeof size + size);
    std::memcpy(frame.data(), &size, sizeof size);
    if (!read_all(upstream.get(), frame.data() + sizeof size, size)) return;
    const auto* hello =
        flatbuffers::GetSizePrefixedRoot<remoteobj::wire::Envelope>(frame.data())->message_as_Hello();
    if (!hello) return;
    const auto ours = hello_announcing(table, hello->epoch());
    if (!write_all(client.get(), ours.data(), ours.size())) return;
    pollfd both[2] = {{client.get(), POLLIN, 0}, {upstream.get(), POLLIN, 0}};
    std::uint8_t buffer[1 << 16];
    while (::poll(both, 2, -1) > 0 || errno == EINTR) {
        for (int i = 0; i < 2; ++i) {
            if (!both[i].revents) continue;
            const ssize_t n = ::read(both[i].fd, buffer, sizeof buffer);
            if (n <= 0 || !write_all(both[1 - i].fd, buffer, static_cast<std::size_t>(n))) return;
        }
    }
}

}  // namespace

TEST_CASE("a listener's Hello announces the served class's members: a connection to it keeps them") {
    TempDir dir;
    Widget obj;
    auto listening = obj.remote.listen_at(dir.address("widget.sock"));
    const std::string address = dir.address("widget.sock");
    const int announced = watched(30, [address] {
        auto widget = remoteobj::connect<Widget>(address);
        const auto& members = widget.listener_members();
        return (members.announced() ? 1 : 0) + (members.all_match() ? 10 : 0) + 100 * (widget->add(1, 2) == 3);
    });
    CHECK(announced == 111);
}

TEST_CASE("a listener whose table lacks one member: that member is refused before sending, the others work") {
    TempDir dir;
    Widget obj;
    auto listening = obj.remote.listen_at(dir.address("widget.sock"));
    const std::string real = dir.address("widget.sock");
    const std::string relayed = dir.address("relay.sock");
    MemberTable table = widget_table();
    const auto add = std::find_if(table.begin(), table.end(), [](const auto& m) { return m.second.first == "add"; });
    REQUIRE(add != table.end());
    table.erase(add);
    FakeListener relay(relayed, [&](remoteobj::detail::Fd client) { relay_with_table(std::move(client), real, table); });
    const int outcome = watched(30, [relayed] {
        auto widget = remoteobj::connect<Widget>(relayed);
        int result = 0;
        widget->set_number(5);
        result += widget->number.get() == 5;
        try {
            widget->add(1, 2);  // the real listener has add(): only this caller's check can refuse it
        } catch (const remoteobj::InterfaceMismatch& e) {
            const std::string message = e.what();
            result += 10 * (message.find("Widget::add(int32) -> int32") != std::string::npos);
            result += 100 * (message.find("has no member named add") != std::string::npos);
            result += 1000 * (message.find("nothing was sent") != std::string::npos);
        }
        widget->set_number(6);  // the connection goes on
        result += 10000 * (widget->number.get() == 6);
        return result;
    });
    CHECK(outcome == 11111);
}

TEST_CASE("a listener that lies about a member's signature cannot make a call go elsewhere: only the id counts") {
    TempDir dir;
    Widget obj;
    auto listening = obj.remote.listen_at(dir.address("widget.sock"));
    const std::string real = dir.address("widget.sock");
    const std::string relayed = dir.address("relay.sock");
    MemberTable table = widget_table();
    for (auto& member : table)
        if (member.second.first == "add") member.second.second = "method add(float64) -> string";  // a lie
    FakeListener relay(relayed, [&](remoteobj::detail::Fd client) { relay_with_table(std::move(client), real, table); });
    const int sum = watched(30, [relayed] {
        auto widget = remoteobj::connect<Widget>(relayed);
        return widget->add(1, 2);  // the id matches: the listener decides, and serves it
    });
    CHECK(sum == 3);
}

TEST_CASE("a Hello announcing more members than any class has is refused with ProtocolError") {
    MemberTable huge;
    for (std::uint32_t i = 0; i < remoteobj::detail::max_announced_members + 1; ++i) huge.push_back({i, {"m", "field m: int32"}});
    const std::string said = connecting_to_table(huge);
    CHECK_MESSAGE(said.find("4097 members, over the limit of 4096") != std::string::npos, said);
}

TEST_CASE("a Hello announcing a name or signature over the length limits is refused with ProtocolError") {
    MemberTable table = widget_table();
    table.front().second.first = std::string(remoteobj::detail::max_announced_name + 1, 'n');
    std::string said = connecting_to_table(table);
    CHECK_MESSAGE(said.find("over 256 or 4096 bytes") != std::string::npos, said);
    table = widget_table();
    table.back().second.second = std::string(remoteobj::detail::max_announced_signature + 1, 's');
    said = connecting_to_table(table);
    CHECK_MESSAGE(said.find("over 256 or 4096 bytes") != std::string::npos, said);
}

TEST_CASE("a Hello announcing one id twice, or a member without a signature, is refused with ProtocolError") {
    MemberTable table = widget_table();
    table.push_back(table.front());
    std::string said = connecting_to_table(table);
    CHECK_MESSAGE(said.find("twice") != std::string::npos, said);
    table = widget_table();
    table.front().second.second.clear();  // written as absent
    said = connecting_to_table(table);
    CHECK_MESSAGE(said.find("without a name or a wire signature") != std::string::npos, said);
    CHECK(connecting_to_table(widget_table()).empty());  // the same table, sound: accepted
}

TEST_CASE("a Hello of garbage where the member table belongs is refused with ProtocolError") {
    TempDir dir;
    const std::string address = dir.address("fake.sock");
    FakeListener fake(address, [](remoteobj::detail::Fd client) {
        auto hello = hello_announcing(widget_table(), 1);
        // Overwrite the tail (the member table's strings and offsets) with garbage.
        for (std::size_t i = hello.size() / 2; i < hello.size(); ++i) hello[i] = static_cast<std::uint8_t>(0xa5 ^ i);
        write_all(client.get(), hello.data(), hello.size());
    });
    remoteobj::deadline within(std::chrono::seconds(10));
    CHECK_THROWS_AS(remoteobj::connect<Widget>(address), remoteobj::ProtocolError);
}

TEST_CASE("describe() asks a served object for its description: the generated JSON, naming its members") {
    TempDir dir;
    Widget obj;
    auto listening = obj.remote.listen_at(dir.address("widget.sock"));
    const std::string address = dir.address("widget.sock");
    const int found = watched(30, [address] {
        const remoteobj::Description description = remoteobj::describe(address);
        const auto& ours = remoteobj::detail::interface_of<Widget>();
        int result = description.served_class == "Widget";
        result += 10 * (description.json == ours.description);
        result += 100 * (description.json.find("\"name\": \"set_number\"") != std::string::npos);
        return result;
    });
    CHECK(found == 111);
}

