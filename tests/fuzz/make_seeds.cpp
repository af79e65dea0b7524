// Writes the seed corpus of the listener fuzzer: valid request streams for every
// operation on FuzzObject, encoded by the real calling path (Proxy and Caller).
//
//     remoteobj_fuzz_seeds <dir>    # one file per scenario, and one per request
//
// The requests cross the maker's real connection (a pipe pair handed over at the
// session's socket) to a listening session of our own on a thread here, which
// keeps each frame and serves it (serve_request) so that every call gets its real
// reply. The seeds carry epoch 1, the epoch of the first
// listener of a fresh object: the fuzzer serves each input on a fresh object.
// The fuzz build runs it at build time (tests/fuzz/CMakeLists.txt); it is not a test.
#include <poll.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <remoteobj/envelope.hpp>
#include <remoteobj/listener.hpp>
#include <remoteobj/serve.hpp>

#include "transport/unix_socket.hpp"
#include "fuzz_object.hpp"

namespace {

using remoteobj::Proxy;
using remoteobj::detail::Bytes;
using Frame = std::vector<std::uint8_t>;

constexpr std::uint32_t seed_epoch = 1;

// The object's listening session, played on a thread here: it greets the maker's
// connection as a real session does (its pipe pair handed over with the Hello),
// then keeps a copy of every frame that arrives and serves it.
class RecordingListener {
public:
    RecordingListener(FuzzObject& obj, const std::string& address)
        : target_{&obj, &remoteobj::detail::interface_of<FuzzObject>, &obj.remote.mutex()},
          socket_(remoteobj::detail::parse_unix_address(address), 0600),
          stop_(remoteobj::detail::open_eventfd()) {
        thread_ = std::thread([this] { run(); });
    }
    ~RecordingListener() {
        remoteobj::detail::ring(stop_.get());
        thread_.join();
    }

    /// The frames received since the last call.
    std::vector<Frame> take() {
        std::lock_guard lock(mutex_);
        return std::exchange(frames_, {});
    }

private:
    // Hands the caller its ends of two pipes, as ConnectionListener::hand_over does.
    void greet(const remoteobj::detail::Fd& socket) {
        remoteobj::detail::Fd request_write, reply_read;
        remoteobj::detail::open_pipe(request_read_, request_write);
        remoteobj::detail::open_pipe(reply_read, reply_write_, /*blocking read end*/ true);
        flatbuffers::FlatBufferBuilder fbb;
        const auto& iface = remoteobj::detail::interface_of<FuzzObject>();
        auto hello = remoteobj::wire::CreateHello(fbb, remoteobj::detail::protocol_version, iface.hash,
                                                  fbb.CreateString(iface.class_name), seed_epoch);
        fbb.FinishSizePrefixed(remoteobj::wire::CreateEnvelope(fbb, remoteobj::wire::Message::Hello, hello.Union()));
        const int handed[] = {request_write.get(), reply_read.get(), request_read_.get()};
        remoteobj::detail::send_with_descriptors(socket.get(), remoteobj::detail::bytes_of(fbb), handed);
    }

    void run() {
        using remoteobj::detail::Ready;
        if (remoteobj::detail::wait_fd(socket_.fd(), POLLIN, stop_.get(), -1) == Ready::Other) return;
        greet(socket_.accept().socket);
        remoteobj::detail::FrameReader requests(request_read_.get(), remoteobj::detail::default_max_frame);
        const remoteobj::detail::FrameWriter replies(reply_write_.get());
        flatbuffers::FlatBufferBuilder reply;
        for (;;) {
            if (remoteobj::detail::wait_fd(requests.fd(), POLLIN, stop_.get(), -1) == Ready::Other) return;
            Bytes frame;
            while (requests.next(frame) == remoteobj::detail::FrameReader::Status::Frame) {
                {
                    std::lock_guard lock(mutex_);
                    frames_.emplace_back(frame.begin(), frame.end());
                }
                const auto* envelope = remoteobj::detail::verify_envelope(frame);
                const auto* request = envelope ? envelope->message_as_Request() : nullptr;
                if (!request) continue;
                remoteobj::detail::serve_request(target_, *request, seed_epoch, false, reply);
                if (!request->oneway()) replies.write(remoteobj::detail::bytes_of(reply), stop_.get());
            }
        }
    }

    remoteobj::detail::Target target_;
    remoteobj::detail::UnixListeningSocket socket_;
    remoteobj::detail::Fd stop_;
    remoteobj::detail::Fd request_read_, reply_write_;
    std::mutex mutex_;
    std::vector<Frame> frames_;
    std::thread thread_;
};

struct Scenario {
    const char* name;
    std::function<void(remoteobj::Remote<FuzzObject>&)> run;
};

// Each scenario is a few calls; a call that fails remotely still sent its
// request, and the failure's reply path is worth a seed too.
template <class F>
void expect_failure(F&& f) {
    try {
        f();
    } catch (const std::exception&) {  // what it threw there, rethrown here: expected
    }
}

std::vector<Scenario> scenarios() {
    using Remote = remoteobj::Remote<FuzzObject>;
    return {
        {"get-scalars", [](Remote& r) {
             (void)r->on.get(); (void)r->number.get(); (void)r->ratio.get(); (void)r->small.get();
             (void)r->big.get(); (void)r->tiny.get(); (void)r->letter.get(); (void)r->shade.get();
             (void)r->mood.get(); (void)r->hits.get(); (void)r->fixed.get(); (void)r->timeout.get();
             (void)r->label.get(); (void)r->base_count.get(); (void)r->notes.get();
         }},
        {"set-scalars", [](Remote& r) {
             r->on = true; r->number = -5; r->ratio = 2.25; r->small = -0.5f; r->big = 1ll << 40; r->tiny = 200;
             r->letter = 'z'; r->shade = Shade::dark; r->mood = lost; r->hits = 9;
             r->timeout = std::chrono::milliseconds(3); r->label = "relabelled"; r->base_count = 4;
         }},
        {"composites", [](Remote& r) {
             (void)r->labelled.get(); r->labelled = {8, "eight"};
             (void)r->record.get(); r->record = {2, 3.5, "four", Shade::light};
             (void)r->either.get(); r->either = 5; r->either = Spot{3, 4, "spot"}; r->either = std::string("s");
         }},
        {"vector", [](Remote& r) {
             (void)r->items.get(); r->items = {4, 5, 6}; (void)r->items[1].get(); r->items[-1] = 9;
             r->items.push_back(10); (void)r->items.size(); r->items.clear();
             expect_failure([&] { (void)r->items[7].get(); });
         }},
        {"vector-bool-string", [](Remote& r) {
             r->flags.push_back(false); (void)r->flags[0].get(); r->flags[0] = false; (void)r->flags.get();
             r->words.push_back("c"); r->words[0] = "z"; (void)r->words[-1].get(); (void)r->words.get();
         }},
        {"vector-struct-enum", [](Remote& r) {
             r->spots.push_back(Spot{5, 6, "five"}); (void)r->spots[0].get(); r->spots[0] = Spot{7, 8, "seven"};
             (void)r->spots.get(); r->moods.push_back(busy); r->moods[0] = lost; (void)r->moods.get();
         }},
        {"array", [](Remote& r) {
             (void)r->triple.get(); r->triple[2] = 7.5; (void)r->triple[0].get(); r->triple = {1.0, 2.0, 3.0};
             (void)r->triple.size();
         }},
        {"set", [](Remote& r) {
             r->tags.insert("b"); (void)r->tags.contains("a"); (void)r->tags.erase("a"); (void)r->tags.size();
             (void)r->tags.get(); r->tags = {"x", "y"}; r->tags.clear();
         }},
        {"map", [](Remote& r) {
             (void)r->table["one"].get(); r->table["two"] = 2; (void)r->table.contains("two");
             (void)r->table.erase("one"); (void)r->table.size(); r->table = {{"k", 1}}; (void)r->table.get();
             expect_failure([&] { (void)r->table["missing"].get(); });
         }},
        {"unordered-map", [](Remote& r) {
             (void)r->names[1].get(); r->names[2] = "two"; (void)r->names.contains(2); (void)r->names.erase(1);
             (void)r->names.get(); r->names.clear();
         }},
        {"optional", [](Remote& r) {
             (void)r->maybe.get(); r->maybe = 3; (void)r->maybe.has_value(); r->maybe.reset();
             r->nickname = std::string("nick"); (void)r->nickname.get(); r->nickname.reset();
         }},
        {"nested-containers", [](Remote& r) {
             (void)r->grid.get(); r->grid = {{1}, {2, 3}}; (void)r->grid[0].get(); r->grid.push_back({4, 5});
             r->maybe_list = std::vector<int>{1, 2}; (void)r->maybe_list.get(); r->maybe_list.reset();
             (void)r->groups.get(); r->groups["h"] = {"y", "z"}; (void)r->groups["g"].get();
         }},
        {"paths", [](Remote& r) {
             (void)r->leaf.value.get(); r->leaf.value = 5; (void)r->leaf.twice(); r->leaf.marks.push_back(3);
             (void)r->leaf_at(1).value.get(); r->leaf_at().value = 6; (void)r->leaf_at(1).twice();
             (void)r->chain(2).chain().number.get();
         }},
        {"returned-references", [](Remote& r) {
             (void)r->items_ref(); r->items_ref.view().push_back(11); (void)r->items_ref.view()[0].get();
             (void)r->items_ref.view().size(); (void)r->label_ref(); (void)r->label_ref.view().get();
         }},
        {"base", [](Remote& r) { (void)r->kind(); (void)r.super<FuzzBase>().kind(); (void)r.super<FuzzBase>().base_count.get(); }},
        {"calls", [](Remote& r) {
             (void)r->add(1, 2); (void)r->add(1); (void)r->greet("you"); (void)r->greet("you", "?");
             (void)r->sum({1, 2, 3}); (void)r->find({4, 5}, 5); (void)r->counts({"a", "b", "a"});
             (void)r->keys({{1, 2}, {3, 4}}); (void)r->bump();
         }},
        {"calls-values", [](Remote& r) {
             (void)r->flip(Spot{1, 2, "t"}); (void)r->pair_of(Spot{1, 2, "a"}, Spot{3, 4, "b"});
             (void)r->swap_pair({1, 2}); (void)r->pick(true, "abc"); (void)r->pick(false, "abc");
             (void)r->tag_set(); (void)r->halved(std::chrono::microseconds(10)); (void)r->other(Shade::dark);
             (void)r->next_mood(busy);
         }},
        {"failures", [](Remote& r) {
             expect_failure([&] { (void)r->at(5); });
             expect_failure([&] { r->fail("bad"); });
             expect_failure([&] { r->fail_oddly(); });
             expect_failure([&] { r->fail_custom("custom"); });
             expect_failure([&] { r->fail_system(2); });
             expect_failure([&] { r->fixed.get(); });
         }},
        {"oneway", [](Remote& r) { r->note(3); r->note(-1); (void)r->notes.get(); }},
        {"subscript-and-class-operations", [](Remote& r) {
             r->items = {1, 2, 3}; (void)r[0].get(); r[1] = 8; (void)r.contains(8); (void)r.erase(8); (void)remoteobj::len(r);
         }},
        {"passto", [](Remote& r) { (void)r.passto<&weigh>(5); }},
    };
}

// Requests no honest Caller sends here, built with the wire API: a stale epoch, a
// foreign interface hash, a member that does not exist, and a non-request message.
std::vector<std::pair<std::string, Frame>> handmade() {
    auto frame = [](auto build) {
        flatbuffers::FlatBufferBuilder fbb;
        fbb.FinishSizePrefixed(build(fbb));
        return Frame(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
    };
    const std::uint64_t hash = remoteobj::detail::ProxyTraits<FuzzObject>::interface_hash;
    const std::uint32_t number = remoteobj::generated::FuzzObject_number::id;
    auto request = [&](std::uint32_t epoch, std::uint64_t interface, std::uint32_t member) {
        return frame([=](flatbuffers::FlatBufferBuilder& fbb) {
            auto r = remoteobj::wire::CreateRequest(fbb, 1, epoch, interface, 0, remoteobj::wire::Operation::Get, member);
            return remoteobj::wire::CreateEnvelope(fbb, remoteobj::wire::Message::Request, r.Union());
        });
    };
    return {
        {"stale-epoch", request(seed_epoch + 1, hash, number)},
        {"foreign-interface", request(seed_epoch, hash ^ 1, number)},
        {"no-such-member", request(seed_epoch, hash, 9999)},
        {"closed-message", frame([](flatbuffers::FlatBufferBuilder& fbb) {
             auto closed = remoteobj::wire::CreateClosed(fbb, seed_epoch);
             return remoteobj::wire::CreateEnvelope(fbb, remoteobj::wire::Message::Closed, closed.Union());
         })},
    };
}

void write_file(const std::filesystem::path& path, const std::vector<Frame>& frames) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const Frame& f : frames) out.write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <seed-directory>\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);
    try {
        FuzzObject obj;
        auto& link = remoteobj::detail_link_of(obj.remote);
        // The connection's greeting, not the page, says who serves the calls, in
        // which session: the page only says that someone listens.
        auto& flags = link.flags();
        flags.listening.store(1);

        std::size_t files = 0, requests = 0;
        {
            RecordingListener listener(obj, link.session_address());
            std::vector<Frame> everything;
            int n = 0;
            for (const Scenario& s : scenarios()) {
                try {
                    s.run(obj.remote);
                } catch (const std::exception& e) {
                    throw std::runtime_error(fmt::format("scenario {}: {}", s.name, e.what()));
                }
                std::vector<Frame> frames = listener.take();
                if (frames.empty()) throw std::runtime_error(std::string("scenario ") + s.name + " sent nothing");
                ++n;
                write_file(dir / fmt::format("{:02}-{}", n, s.name), frames);
                for (std::size_t i = 0; i < frames.size(); ++i)
                    write_file(dir / fmt::format("{:02}-{}-{:02}", n, s.name, i), {frames[i]});
                files += 1 + frames.size();
                requests += frames.size();
                everything.insert(everything.end(), frames.begin(), frames.end());
            }
            write_file(dir / "00-everything", everything);
            ++files;
        }
        for (auto& [name, frame] : handmade()) {
            write_file(dir / ("99-" + name), {frame});
            ++files;
        }
        flags.listening.store(0);
        std::printf("remoteobj_fuzz_seeds: %zu requests in %zu files in %s\n", requests, files, dir.c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "remoteobj_fuzz_seeds: %s\n", e.what());
        return 1;
    }
    return 0;
}
