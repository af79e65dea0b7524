// Recording exceptions in groups, across processes; see except.hpp.
#include "remoteobj/except.hpp"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "remoteobj/envelope.hpp"
#include "remoteobj/link.hpp"

namespace remoteobj {
namespace {

// The exception this thread recorded last: a block further out that catches the
// same exception object (rethrown with `throw;`) knows it was recorded already.
thread_local std::exception_ptr last_recorded;

// Every Except created in this process and not destroyed yet (those inherited
// through fork() stay listed, and are skipped: they belong to the parent).
std::vector<Except*>& excepts() {
    static std::vector<Except*> list;
    return list;
}

std::string describe(const std::exception_ptr& exception) {
    try {
        std::rethrow_exception(exception);
    } catch (...) {
        RemoteInfo info = detail::describe_current_exception();
        return fmt::format("{}: {:?}", info.type, info.message);
    }
}

// Builds the Caught frame for `info`, trimmed to one atomic pipe write, so that
// records from several children never interleave.
void build_caught(flatbuffers::FlatBufferBuilder& fbb, RemoteInfo info) {
    for (;;) {
        fbb.Clear();
        auto caught = wire::CreateCaught(fbb, detail::write_failure(fbb, info));
        fbb.FinishSizePrefixed(wire::CreateEnvelope(fbb, wire::Message::Caught, caught.Union()));
        if (fbb.GetSize() <= PIPE_BUF) return;
        if (!info.trace.empty()) {
            info.trace.pop_back();
        } else {
            std::size_t excess = fbb.GetSize() - PIPE_BUF + 64;
            info.message.resize(info.message.size() > excess ? info.message.size() - excess : 0);
            info.message += " [cut]";
        }
    }
}

}  // namespace

void LocalExcept::raise_any(std::string_view group) {
    if (std::exception_ptr e = get(group)) std::rethrow_exception(e);
}

void LocalExcept::raise_any() {
    pull();
    std::exception_ptr last;
    {
        std::lock_guard lock(mutex_);
        if (!caught_.empty()) last = caught_.back().exception;
    }
    if (last) std::rethrow_exception(last);
}

std::exception_ptr LocalExcept::get(std::string_view group) {
    pull();
    std::lock_guard lock(mutex_);
    auto it = std::find_if(caught_.rbegin(), caught_.rend(), [&](const Caught& c) { return c.group == group; });
    return it == caught_.rend() ? nullptr : it->exception;
}

std::vector<std::exception_ptr> LocalExcept::group(std::string_view name) {
    pull();
    std::lock_guard lock(mutex_);
    std::vector<std::exception_ptr> found;
    for (const Caught& c : caught_)
        if (c.group == name) found.push_back(c.exception);
    return found;
}

std::vector<Caught> LocalExcept::all() {
    pull();
    std::lock_guard lock(mutex_);
    return caught_;
}

bool LocalExcept::caught() {
    pull();
    std::lock_guard lock(mutex_);
    return !caught_.empty();
}

void LocalExcept::clear() {
    pull();
    std::lock_guard lock(mutex_);
    caught_.clear();
    result_.reset();
}

std::string LocalExcept::summary() {
    std::vector<Caught> records = all();
    std::vector<std::string> groups;  // in order of first record
    for (const Caught& c : records)
        if (std::find(groups.begin(), groups.end(), c.group) == groups.end()) groups.push_back(c.group);
    std::string text = fmt::format("<{} raises={} catch_once={}", kind(), raises_, catch_once_);
    if (groups.empty()) text += " - nothing raised";
    for (const std::string& g : groups) {
        auto count = std::count_if(records.begin(), records.end(), [&](const Caught& c) { return c.group == g; });
        auto last = std::find_if(records.rbegin(), records.rend(), [&](const Caught& c) { return c.group == g; });
        text += fmt::format("\n  {} [{} raised] - last: {}", g.empty() ? "(default)" : g, count,
                            describe(last->exception));
    }
    return text + ">";
}

void LocalExcept::record(std::string_view group, const std::exception_ptr& exception) {
    append(std::string(group), exception);
}

void LocalExcept::append(std::string group, std::exception_ptr exception) {
    std::lock_guard lock(mutex_);
    caught_.push_back({std::move(group), std::move(exception)});
}

void LocalExcept::set_result(std::any value) {
    std::lock_guard lock(mutex_);
    result_ = std::move(value);
}

bool LocalExcept::handle_current(std::string_view group, bool raises) {
    std::exception_ptr exception = std::current_exception();
    if (matches_ && !matches_(exception)) return false;  // not ours: passes through unrecorded
    if (!catch_once_) {
        record(group, exception);
        return false;  // every block up the chain must see it to record it too
    }
    if (exception != last_recorded) {
        record(group, exception);
        last_recorded = exception;
    }
    return !raises;
}

namespace detail {

std::mutex& excepts_mutex() {
    static std::mutex mutex;
    return mutex;
}

std::vector<int> except_fds() {
    std::lock_guard lock(excepts_mutex());
    std::vector<int> fds;
    for (const Except* exc : excepts())
        if (exc->owner_pid_ == this_pid()) fds.push_back(exc->read_.get());
    return fds;
}

void pull_excepts() {
    std::lock_guard lock(excepts_mutex());
    for (Except* exc : excepts()) exc->pull();
}

}  // namespace detail

void Except::open() {
    owner_pid_ = static_cast<int>(::getpid());
    detail::open_pipe(read_, write_);
    // Room for a few hundred records before a child that records faster than we
    // read has to wait; the default pipe holds 64 KiB, the unprivileged maximum 1 MiB.
    ::fcntl(write_.get(), F_SETPIPE_SZ, 1 << 20);
    reader_ = std::make_unique<detail::FrameReader>(read_.get(), PIPE_BUF);
    std::lock_guard lock(detail::excepts_mutex());
    excepts().push_back(this);
}

Except::~Except() {
    std::lock_guard lock(detail::excepts_mutex());
    std::erase(excepts(), this);
}

void Except::record(std::string_view group, const std::exception_ptr& exception) {
    LocalExcept::record(group, exception);
    if (::getpid() == owner_pid_) return;
    RemoteInfo info;
    try {
        std::rethrow_exception(exception);
    } catch (...) {
        info = detail::describe_current_exception();
    }
    info.group = std::string(group);
    flatbuffers::FlatBufferBuilder fbb(1024);
    build_caught(fbb, std::move(info));
    try {
        // Written before the block returns: a child killed right after still told us.
        detail::FrameWriter(write_.get()).write(detail::bytes_of(fbb), -1);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "remoteobj: could not send an exception to process %d: %s\n", owner_pid_, e.what());
    }
}

void Except::pull() {
    if (::getpid() != owner_pid_) return;
    std::lock_guard lock(reader_mutex_);
    if (!reader_) {
        // The stream broke (below): what comes is dropped, so that its writers
        // never block on a full pipe, nor a wait that watches it spin.
        char scratch[PIPE_BUF];
        while (::read(read_.get(), scratch, sizeof scratch) > 0) {
        }
        return;
    }
    detail::Bytes frame;
    for (;;) {
        detail::FrameReader::Status status;
        try {
            status = reader_->next(frame);
        } catch (const ProtocolError& e) {
            std::fprintf(stderr, "remoteobj: Except stopped reading from its children: %s\n", e.what());
            reader_.reset();
            return;
        }
        if (status != detail::FrameReader::Status::Frame) return;
        const wire::Envelope* envelope = detail::verify_envelope(frame);
        const wire::Caught* caught = envelope ? envelope->message_as_Caught() : nullptr;
        if (!caught) continue;  // not a record: ignored, the framing still holds
        RemoteInfo info = detail::read_failure(caught->failure());
        std::string group = info.group;
        append(std::move(group), detail::make_exception(info));
    }
}

}  // namespace remoteobj
