// What a listener sends a caller unasked; see detail/outbound.hpp.
#include "remoteobj/detail/outbound.hpp"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "remoteobj/envelope.hpp"
#include "remoteobj/remote_exception.hpp"

namespace remoteobj::detail {
namespace {

thread_local Outbound* current_outbound = nullptr;

// What a connection is sent unasked per round of its listener (collect()).
constexpr int messages_per_round = 256;
constexpr std::size_t bytes_per_round = 64u << 10;

void finish_value(flatbuffers::FlatBufferBuilder& out, std::uint64_t id, wire::Status status,
                  flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> value, bool more,
                  const RemoteInfo* failure = nullptr) {
    flatbuffers::Offset<wire::Failure> written;
    if (failure) written = write_failure(out, *failure);
    auto response = wire::CreateResponse(out, id, status, value, written, more);
    out.FinishSizePrefixed(wire::CreateEnvelope(out, wire::Message::Response, response.Union()));
}

// The stream's end with `info` as its error.
void finish_failed(flatbuffers::FlatBufferBuilder& out, std::uint64_t id, const RemoteInfo& info) {
    clear_builder(out);
    finish_value(out, id, wire::Status::Raised, 0, false, &info);
}

}  // namespace

void EventBell::ring() noexcept {
    if (rung_.exchange(true)) return;  // the listener has not looked yet: it will see this one too
    std::lock_guard lock(mutex_);
    if (fd_ >= 0) detail::ring(fd_);
}

void EventBell::silence() noexcept {
    std::lock_guard lock(mutex_);
    fd_ = -1;
}

EventQueue::EventQueue(std::uint64_t subscription, QueueLimits limits, std::shared_ptr<EventBell> bell)
    : subscription_(subscription),
      limits_{std::max<std::size_t>(limits.count, 1), limits.bytes},
      bell_(std::move(bell)) {}

bool EventQueue::post(Bytes args) {
    {
        std::lock_guard lock(mutex_);
        if (ended_) return false;
        queued_.emplace_back(args.begin(), args.end());
        queued_bytes_ += args.size();
        // Full, in count or in bytes: the subscriber is this far behind. The oldest
        // go, so that what it gets next is recent, and it is told how many it missed;
        // the newest stays, however large.
        while (queued_.size() > limits_.count || (queued_bytes_ > limits_.bytes && queued_.size() > 1)) {
            queued_bytes_ -= queued_.front().size();
            queued_.pop_front();
            ++dropped_since_taken_;
            ++dropped_total_;
        }
    }
    bell_->ring();
    return true;
}

bool EventQueue::take(std::vector<std::uint8_t>& args, std::uint64_t& dropped_before) {
    std::lock_guard lock(mutex_);
    if (queued_.empty()) return false;
    args = std::move(queued_.front());
    queued_bytes_ -= args.size();
    queued_.pop_front();
    dropped_before = std::exchange(dropped_since_taken_, 0);
    return true;
}

bool EventQueue::empty() const {
    std::lock_guard lock(mutex_);
    return queued_.empty();
}

void EventQueue::end() noexcept {
    std::lock_guard lock(mutex_);
    ended_ = true;
    queued_.clear();
    queued_bytes_ = 0;
}

bool EventQueue::ended() const {
    std::lock_guard lock(mutex_);
    return ended_;
}

std::uint64_t EventQueue::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_total_;
}

Outbound::~Outbound() {
    // Subscriptions end with the connection; the streams' generators were destroyed
    // by close(), under the object's mutex, if the listener closed it first.
    for (auto& [id, queue] : subscriptions_) queue->end();
}

std::shared_ptr<EventQueue> Outbound::subscribe(std::uint64_t id, QueueLimits limits) {
    if (subscriptions_.count(id)) throw BadRequest(fmt::format("subscription {} exists already on this connection", id));
    auto queue = std::make_shared<EventQueue>(id, limits, bell_);
    subscriptions_.emplace(id, queue);
    return queue;
}

void Outbound::unsubscribe(std::uint64_t id) noexcept {
    const auto found = subscriptions_.find(id);
    if (found == subscriptions_.end()) return;  // ended already (or never was): nothing to do
    found->second->end();
    subscriptions_.erase(found);
}

void Outbound::start_stream(std::uint64_t id, std::uint32_t window, std::unique_ptr<StreamSource> source) {
    if (window == 0) throw BadRequest("a streaming call with a window of 0 values could never receive one");
    if (streams_.count(id)) throw BadRequest(fmt::format("stream {} exists already on this connection", id));
    streams_.emplace(id, Stream{std::move(source), window});
    deferred_ = true;
}

void Outbound::credit(std::uint64_t id, std::uint32_t more) noexcept {
    const auto found = streams_.find(id);
    if (found == streams_.end()) return;  // it ended meanwhile
    const std::uint64_t granted = std::uint64_t{found->second.credit} + more;
    found->second.credit = granted > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(granted);
}

void Outbound::cancel(std::uint64_t id) noexcept { streams_.erase(id); }

bool Outbound::has_work() const {
    for (const auto& [id, stream] : streams_)
        if (stream.credit > 0) return true;
    for (const auto& [id, queue] : subscriptions_)
        if (!queue->empty()) return true;
    return false;
}

bool Outbound::next_message(flatbuffers::FlatBufferBuilder& out, std::recursive_mutex& object_mutex,
                            std::size_t max_message) {
    // Emissions first: they are already made, and wait in memory the owner pays for.
    return next_event(out, max_message) || next_value(out, object_mutex, max_message);
}

bool Outbound::next_event(flatbuffers::FlatBufferBuilder& out, std::size_t max_message) {
    if (subscriptions_.empty()) return false;
    // Round-robin from where the last look stopped: a busy subscription does not
    // starve the others of the connection.
    auto start = subscriptions_.lower_bound(next_event_from_);
    for (std::size_t looked = 0; looked < subscriptions_.size(); ++looked, ++start) {
        if (start == subscriptions_.end()) start = subscriptions_.begin();
        EventQueue& queue = *start->second;
        std::uint64_t dropped = 0;
        if (!queue.take(scratch_, dropped)) continue;
        next_event_from_ = start->first + 1;
        clear_builder(out);
        out.ForceVectorAlignment(scratch_.size(), 1, 8);
        auto args = out.CreateVector(scratch_);
        auto event = wire::CreateEvent(out, queue.subscription(), args, dropped);
        out.FinishSizePrefixed(wire::CreateEnvelope(out, wire::Message::Event, event.Union()));
        if (out.GetSize() <= max_message) return true;
        std::fprintf(stderr,
                     "remoteobj: an emission of %zu bytes to subscription %llu was dropped: over the limit of %zu "
                     "bytes for one message\n",
                     static_cast<std::size_t>(out.GetSize()), static_cast<unsigned long long>(queue.subscription()),
                     max_message);
        out.Clear();
    }
    return false;
}

bool Outbound::next_value(flatbuffers::FlatBufferBuilder& out, std::recursive_mutex& object_mutex,
                          std::size_t max_message) {
    if (streams_.empty()) return false;
    auto start = streams_.lower_bound(next_value_from_);
    for (std::size_t looked = 0; looked < streams_.size(); ++looked, ++start) {
        if (start == streams_.end()) start = streams_.begin();
        Stream& stream = start->second;
        if (stream.credit == 0) continue;
        const std::uint64_t id = start->first;
        next_value_from_ = id + 1;
        clear_builder(out);
        bool produced = false;
        {
            // Produced as any member is served: one at a time, under the object's mutex.
            std::lock_guard lock(object_mutex);
            try {
                const flatbuffers::uoffset_t mark = begin_nested(out);
                produced = stream.source->next(out);
                if (produced) {
                    finish_value(out, id, wire::Status::Ok, end_nested(out, mark), true);
                } else {
                    clear_builder(out);
                    finish_value(out, id, wire::Status::Ok, 0, false);
                }
            } catch (...) {
                // Thrown after the values before it: the caller gets it in its place.
                finish_failed(out, id, describe_current_exception());
                produced = false;
            }
            if (produced && out.GetSize() > max_message) {
                RemoteInfo info;
                info.type = "remoteobj::ProtocolError";
                info.message = fmt::format("a streamed value of {} bytes is over the limit of {} bytes for one message "
                                           "(raise it with remoteobj::link_options{{.max_message}})",
                                           out.GetSize(), max_message);
                info.pid = this_pid();
                info.process_name = this_process_name();
                finish_failed(out, id, info);
                produced = false;
            }
            if (produced)
                --stream.credit;
            else
                streams_.erase(start);  // its last message: the generator is destroyed here, under the mutex
        }
        return true;
    }
    return false;
}

int Outbound::collect(std::vector<std::uint8_t>& out, flatbuffers::FlatBufferBuilder& scratch,
                      std::recursive_mutex& object_mutex, std::size_t max_message) {
    int collected = 0;
    while (collected < messages_per_round && out.size() < bytes_per_round &&
           next_message(scratch, object_mutex, max_message)) {
        const Bytes message = bytes_of(scratch);
        out.insert(out.end(), message.begin(), message.end());
        ++collected;
    }
    return collected;
}

void Outbound::close(std::recursive_mutex& object_mutex) noexcept {
    for (auto& [id, queue] : subscriptions_) queue->end();
    subscriptions_.clear();
    std::lock_guard lock(object_mutex);
    streams_.clear();
}

Outbound* serving_outbound() noexcept { return current_outbound; }

ServingFor::ServingFor(Outbound* outbound) noexcept : previous_(current_outbound) { current_outbound = outbound; }

ServingFor::~ServingFor() { current_outbound = previous_; }

Outbound& outbound_for(const char* what) {
    if (current_outbound) return *current_outbound;
    throw BadRequest(fmt::format("{}: subscriptions and streams need a connection to another process; the listening "
                                 "process cannot subscribe or stream in place, through its own proxy",
                                 what));
}

bool is_stream_control(wire::Operation op) noexcept {
    return op == wire::Operation::Unsubscribe || op == wire::Operation::Credit || op == wire::Operation::Cancel;
}

}  // namespace remoteobj::detail
