// The link a Remote<T> member sets up before fork(), which both processes then share:
// a page of shared flags (who listens, since when, and the name of the listening
// session's socket), an eventfd that rings when listening starts or stops, and two
// pipes.
//
// The flags page is a memfd, so the child of a fork() can exec() another program
// and still share the link: it clears FD_CLOEXEC on the six descriptors and passes
// their numbers on, and the new program adopts them (Link(const LinkFds&)).
//
// Every calling process, the link's maker included, calls over a connection of its
// own, made on its first call at a UNIX socket in the abstract namespace that each
// listening session binds (its name derives from a random name drawn at creation
// and the session's epoch): the session's greeting hands it a pipe pair (or rings
// in shared memory) of its own, so its replies reach only it and its stream
// touches nobody else's. The request pipe is left with one job, the maker's door:
// the maker writes a Closed there when it destroys its object, which ends a
// listener in another process (nobody is left to call). This layer holds state; it
// never serves or calls.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "remoteobj/channel.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/transport.hpp"

namespace remoteobj {

/// How a link is made (`Remote<T> remote{*this, remoteobj::link_options{...}}`).
struct link_options {
    /// The largest message either side sends or accepts: a request with its
    /// arguments, a reply with its value or exception. Both processes of the link
    /// use the maker's value.
    std::size_t max_message = 64u << 20;
    /// Every calling process's connection is a pair of rings in shared memory
    /// instead of pipes: calls cost no system call while both ends are busy.
    bool shared_memory = false;
};

/// `Remote<T> remote{*this, remoteobj::shared_memory}`: a link whose connections
/// are rings in shared memory (docs/performance.md says when to choose it).
inline constexpr link_options shared_memory{.shared_memory = true};

}  // namespace remoteobj

namespace remoteobj::detail {

/// Lives in a MAP_SHARED page of a memfd, so both sides of a fork(), and a program
/// either side exec()s with the link's descriptors, see the same values.
struct SharedFlags {
    // Set once by the link's creator: an adopting program checks it before trusting
    // the page (another library version lays the page out differently).
    std::atomic<std::uint32_t> magic{0};
    std::atomic<std::uint32_t> listening{0};
    std::atomic<std::uint32_t> epoch{0};      // bumped at every start of listening
    std::atomic<std::int32_t> listener_pid{0};
    // The process that made the link. A listener in any other process watches it:
    // when it dies, nobody is left to call, and listening stops.
    std::atomic<std::int32_t> creator_pid{0};
    // link_options::max_message of the maker: what an adopting program uses too.
    std::atomic<std::uint64_t> max_message{0};
    // The random part of the listening sessions' socket names, written once by the
    // maker before anyone else maps the page: an adopting program reads it here.
    char socket_name[40] = {};
    // link_options::shared_memory of the maker: what kind of connection a
    // listening session hands over.
    std::atomic<std::uint32_t> shared_memory{0};
};
static_assert(std::atomic<std::uint32_t>::is_always_lock_free, "shared flags need address-free atomics");
static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "shared flags need address-free atomics");

/// The version of the wire protocol (schemas/remoteobj.fbs and the framing): a
/// listener announces it, and a caller of another version refuses to talk.
inline constexpr std::uint32_t protocol_version = 2;

/// Largest frame either side accepts; a peer announcing more is cut off.
inline constexpr std::size_t default_max_frame = 64u << 20;

/// Largest frame read at a link's door (the request pipe): only a Closed belongs there.
inline constexpr std::size_t door_max_frame = 1024;

/// What SharedFlags::magic holds: "rol" and the layout of SharedFlags, bumped
/// whenever a field is added, moved or resized.
inline constexpr std::uint32_t shared_flags_magic = 0x726f6c05;

/// The descriptor numbers of a link, in the order its handle lists them.
struct LinkFds {
    int request_read = -1, request_write = -1, reply_read = -1, reply_write = -1, changed = -1, flags = -1;
};

/// "remoteobj-link:3,4,5,6,7,8": the descriptors a program exec()ed with the link
/// finds it by.
std::string format_link_handle(const LinkFds& fds);
/// Reads a handle format_link_handle() made; throws Error naming what is wrong.
LinkFds parse_link_handle(std::string_view handle);

class SocketConnection;

/// The calling side of a fork()-made link: every process calls over a connection
/// of its own, handed over by the listening session.
class Link final : public CallerTransport {
public:
    /// Makes a new link (pipes, eventfd, flags page), every descriptor O_CLOEXEC.
    explicit Link(link_options options = {});
    /// Takes over the descriptors a parent kept across exec() for this program:
    /// checks each is what it should be (throws Error naming the first that is not,
    /// and then closes or changes none), sets FD_CLOEXEC on them again and maps the
    /// flags page as it is (the creator's values, creator_pid included, stay).
    explicit Link(const LinkFds& inherited);
    ~Link() override;
    Link(const Link&) = delete;
    Link& operator=(const Link&) = delete;

    SharedFlags& flags() const noexcept { return *flags_; }
    /// The largest message of this link (link_options::max_message).
    std::size_t max_message() const noexcept override { return max_message_; }

    /// The maker's door: read by a listener in another process, which ends at a
    /// Closed there (written by ~RemoteCore); nothing else is served from it.
    FrameReader& door() noexcept { return requests_; }
    int door_write_fd() const noexcept { return request_write_.get(); }
    /// This process's connection's (none: nothing is written or read).
    FrameWriter request_writer() const noexcept override;
    int request_fd() const noexcept override;
    FrameReader& replies() noexcept override;

    // The calling side (see transport.hpp): whether someone listens is in the
    // shared flags, which process does the session's greeting says (route()).
    void check_listening(const char* what) override;
    Route route(const Interface& ours, const char* what) override;
    Stale stale() const noexcept override;
    void drop_connection() noexcept override;
    void connection_ended() noexcept override { connection_ended_ = true; }
    bool replies_block() const noexcept override;

    /// Whether its listening sessions hand over rings in shared memory.
    bool shared_memory() const noexcept { return shared_memory_; }
    /// The address every listening session of this link serves at (one session at
    /// a time: its greeting names its epoch).
    std::string session_address() const;
    /// Whether a session answers there now (a connect() that needs no accept).
    bool session_answers() const noexcept;
    /// This process's listener starts (`epoch`) or ends: its own calls are served in
    /// place meanwhile. The process's own memory decides it, never the page.
    void serve_here(std::uint32_t epoch) noexcept {
        here_epoch_.store(epoch, std::memory_order_relaxed);
        here_pid_.store(this_pid(), std::memory_order_release);
    }
    void stop_serving_here() noexcept { here_pid_.store(0, std::memory_order_release); }
    bool serving_here() const noexcept;

    /// Readable after listening started or stopped; `drain_changed()` re-arms it.
    int changed_fd() const noexcept { return changed_.get(); }
    void notify_changed() const noexcept;
    void drain_changed() const noexcept;

    /// The six descriptors, for a handle.
    LinkFds fds() const noexcept;
    /// Clears FD_CLOEXEC on the six descriptors (fcntl only: safe in the child of a
    /// fork() of a threaded process), so that the program exec()ed next inherits
    /// them. Throws Error if fcntl fails, or in the link's creator, which would
    /// leak the link into every program it starts.
    void keep_across_exec() const;

private:
    // A connection to the listening session, greeted and checked (throws
    // NotListening when nothing answers there).
    std::unique_ptr<SocketConnection> connect_session(const Interface& ours, const char* what) const;
    // Nothing answered at the session: PeerLost when its listener died, else NotListening.
    [[noreturn]] void throw_unreachable(const char* what) const;

    Fd request_read_, request_write_, reply_read_, reply_write_, changed_, flags_fd_;
    SharedFlags* flags_ = nullptr;
    bool shared_memory_ = false;
    std::string socket_name_;
    // This process's own connection: made on its first call to a listening
    // session, replaced once that session ended.
    std::unique_ptr<SocketConnection> connection_;
    bool connection_ended_ = false;  // its stream ended: let go before the next call
    std::atomic<int> here_pid_{0};   // the process whose listener serves this link, if it is this one
    std::atomic<std::uint32_t> here_epoch_{0};
    std::size_t max_message_ = default_max_frame;
    FrameReader requests_;     // the door
    FrameReader no_replies_;   // replies() while there is no connection: reads nothing
};

}  // namespace remoteobj::detail
