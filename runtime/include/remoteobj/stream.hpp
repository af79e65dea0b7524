// remoteobj::stream<T>: what a proxy's call of a method returning
// remoteobj::generator<T> gives back. The method runs in the listening process;
// each value it yields arrives as it is yielded:
//
//     for (int v : job.remote->scan(10)) ...
//
// Flow control: the producer runs at most `stream_window` values ahead of the
// consumer; it resumes as the consumer takes them. An exception thrown after some
// yields arrives in its place, after those values. Destroying the stream before
// its end (leaving the loop early) cancels it: the generator is destroyed in the
// serving process, its locals' destructors run there. The listener's death ends
// the stream with PeerLost. One thread consumes a stream at a time; streams of
// one proxy may be consumed from several threads at once.
#pragma once

#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "remoteobj/caller.hpp"
#include "remoteobj/detail/outbound.hpp"
#include "remoteobj/envelope.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/generator.hpp"

namespace remoteobj {

/// Values a stream's producer may run ahead of its consumer.
inline constexpr std::uint32_t stream_window = 64;

template <class T>
class stream {
public:
    using Decode = T (*)(detail::Bytes);

    stream() = default;
    stream(detail::Caller& caller, detail::ReplySlot* slot, Decode decode, std::uint64_t interface,
           const char* what) noexcept
        : caller_(&caller), slot_(slot), decode_(decode), interface_(interface), what_(what) {}
    stream(stream&& other) noexcept { *this = std::move(other); }
    stream& operator=(stream&& other) noexcept {
        if (this != &other) {
            cancel();
            caller_ = other.caller_;
            slot_ = std::exchange(other.slot_, nullptr);
            decode_ = other.decode_;
            interface_ = other.interface_;
            what_ = other.what_;
            taken_ = other.taken_;
            current_ = std::move(other.current_);
        }
        return *this;
    }
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;
    /// Cancels the stream if it has not ended.
    ~stream() { cancel(); }

    /// The next value, or nothing once the method returned. Throws what the method
    /// threw (after the values it yielded before), PeerLost, or Timeout when this
    /// thread's deadline passes first (the stream then stays usable).
    std::optional<T> next() {
        if (!slot_) return std::nullopt;
        std::vector<std::uint8_t> frame;
        bool got = false;
        try {
            got = caller_->next_value(*slot_, frame);
        } catch (const Timeout&) {
            throw;  // the stream goes on: the next call waits again
        } catch (...) {
            release();
            throw;
        }
        if (!got) {
            release();
            return std::nullopt;
        }
        // Half the window taken: the producer may run on by that much.
        if (++taken_ >= stream_window / 2) caller_->steer_stream(slot_->id, std::exchange(taken_, 0), interface_, what_);
        const auto* response =
            flatbuffers::GetSizePrefixedRoot<wire::Envelope>(frame.data())->message_as_Response();
        return decode_(detail::bytes_of(response->value()));
    }

    /// Stops the stream now: the serving process destroys the generator. Values
    /// already on their way are dropped.
    void cancel() noexcept {
        if (!slot_) return;
        caller_->steer_stream(slot_->id, 0, interface_, what_);
        release();
    }

    /// Whether values may still come (false once it ended, failed or was cancelled).
    bool open() const noexcept { return slot_ != nullptr; }

    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;

        iterator() = default;
        explicit iterator(stream* owner) : owner_(owner) { ++*this; }
        T& operator*() const { return *owner_->current_; }
        T* operator->() const { return &*owner_->current_; }
        iterator& operator++() {
            owner_->current_ = owner_->next();
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept { return it.at_end(); }

    private:
        bool at_end() const noexcept { return !owner_ || !owner_->current_; }
        stream* owner_ = nullptr;
    };

    /// Takes the first value. Once per stream, as for any input range.
    iterator begin() { return iterator(this); }
    std::default_sentinel_t end() const noexcept { return {}; }

private:
    void release() noexcept {
        if (slot_) caller_->release(std::exchange(slot_, nullptr));
    }

    detail::Caller* caller_ = nullptr;
    detail::ReplySlot* slot_ = nullptr;
    Decode decode_ = nullptr;
    std::uint64_t interface_ = 0;
    const char* what_ = "";
    std::uint32_t taken_ = 0;  // values taken since the last credit
    std::optional<T> current_;
};

namespace detail {

/// A generator method's values, as the serving side sends them.
template <class T>
class GeneratorSource final : public StreamSource {
public:
    using Encode = void (*)(flatbuffers::FlatBufferBuilder&, const T&);
    GeneratorSource(generator<T> values, Encode encode) : values_(std::move(values)), encode_(encode) {}

    bool next(flatbuffers::FlatBufferBuilder& fbb) override {
        if (!started_) {
            started_ = true;
            at_ = values_.begin();
        } else {
            ++at_;
        }
        if (at_ == std::default_sentinel) return false;
        encode_(fbb, *at_);
        return true;
    }

private:
    generator<T> values_;
    typename generator<T>::iterator at_;
    Encode encode_;
    bool started_ = false;
};

/// Generated dispatch: a call of a method that returned `values`. Its values go
/// out as the caller's credit allows; the call's reply is the stream's end.
template <class T>
void serve_stream(const wire::Request& request, generator<T> values,
                  void (*encode)(flatbuffers::FlatBufferBuilder&, const T&)) {
    outbound_for("a streaming call")
        .start_stream(request.id(), request.window(), std::make_unique<GeneratorSource<T>>(std::move(values), encode));
}

}  // namespace detail

}  // namespace remoteobj
