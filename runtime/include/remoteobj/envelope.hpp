// The FlatBuffers envelope (schemas/remoteobj.fbs): verifying what arrives, and
// reading the nested per-member tables. Nothing is read from a buffer before
// flatbuffers::Verifier has accepted it; that is this layer's one promise.
#pragma once

#include <cstdint>

#include <flatbuffers/flatbuffers.h>

#include "remoteobj/channel.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/remote_exception.hpp"
#include "remoteobj/wire/remoteobj_generated.h"

namespace remoteobj::detail {

/// A request the listener cannot serve: it names no exported member, or its
/// argument table is malformed. Answered with Status::BadRequest.
class BadRequest : public ProtocolError {
public:
    using ProtocolError::ProtocolError;
};

/// Limits for every verification: deep nesting or huge table counts are hostile.
flatbuffers::Verifier::Options verifier_options();

/// The envelope in a size-prefixed frame, or nullptr when the bytes are not one.
const wire::Envelope* verify_envelope(Bytes frame);

/// The bytes of a [ubyte] field (empty when absent).
inline Bytes bytes_of(const flatbuffers::Vector<std::uint8_t>* v) noexcept {
    return v ? Bytes(v->data(), v->size()) : Bytes{};
}

/// The finished buffer of a builder.
inline Bytes bytes_of(const flatbuffers::FlatBufferBuilder& fbb) noexcept {
    return Bytes(fbb.GetBufferPointer(), fbb.GetSize());
}

/// A nested FlatBuffer (a [ubyte] field holding a whole buffer, like Request.args)
/// built in place inside its envelope's builder, so that it is never copied:
///
///     auto mark = begin_nested(fbb);
///     encode(fbb);                      // builds a table and Finish()es it, or builds nothing
///     auto args = end_nested(fbb, mark);
///
/// FlatBuffers offsets are relative, so the bytes built since `mark` form a valid
/// buffer where they lie; end_nested() puts a vector's length in front of them.
/// They start 8-aligned, as the verifier wants of a nested buffer.
inline flatbuffers::uoffset_t begin_nested(flatbuffers::FlatBufferBuilder& fbb) {
    fbb.TrackMinAlign(8);  // the nested Finish() aligns its start to this
    return fbb.GetSize();
}

/// Ends a nested buffer begun at `mark`; a null offset when nothing was built.
inline flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> end_nested(flatbuffers::FlatBufferBuilder& fbb,
                                                                          flatbuffers::uoffset_t mark) {
    const flatbuffers::uoffset_t size = fbb.GetSize() - mark;
    if (size == 0) return 0;
    return fbb.PushElement<flatbuffers::uoffset_t>(size);
}

/// Writes `info` as a Failure table.
flatbuffers::Offset<wire::Failure> write_failure(flatbuffers::FlatBufferBuilder& fbb, const RemoteInfo& info);

/// Reads a (verified) Failure table; absent fields read as empty.
RemoteInfo read_failure(const wire::Failure* failure);

struct Interface;
/// The member table of `iface` as a Hello announces it (id, name, wire signature).
flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<wire::HelloMember>>> announce_members(
    flatbuffers::FlatBufferBuilder& fbb, const Interface& iface);

/// Builders and buffers bigger than this after a message are given back, not kept:
/// one 60 MiB frame must not leave both processes 120 MB larger for good.
inline constexpr std::size_t shrink_above = 1u << 20;

/// Clear() for a builder about to build the next message; Reset() (which frees its
/// memory) when the last one was large.
inline void clear_builder(flatbuffers::FlatBufferBuilder& fbb) {
    if (fbb.GetSize() > shrink_above)
        fbb.Reset();
    else
        fbb.Clear();
}

/// "ItemGet", or "operation 42 (no such operation)" for a value no operation has.
std::string operation_name(wire::Operation op);

/// The key (or index) table of a container request; BadRequest naming `what` and
/// the operation when the request has none.
Bytes key_of(const wire::Request& request, const char* what);

/// Verifies `bytes` as a FlatBuffer with root `Table`; throws ProtocolError naming
/// `what` (the member it was meant for) when it is not one.
template <class Table>
const Table* verified_root(Bytes bytes, const char* what) {
    // The verifier checks alignment relative to the table's start only: a nested
    // table a peer placed off an 8-byte boundary would pass and then be read
    // misaligned. Honest encoders align every nested table (force_align: 8).
    if (reinterpret_cast<std::uintptr_t>(bytes.data()) % 8 != 0)
        throw BadRequest(std::string("misaligned value table for ") + what);
    flatbuffers::Verifier verifier(bytes.data(), bytes.size(), verifier_options());
    if (bytes.empty() || !verifier.VerifyBuffer<Table>(nullptr))
        throw BadRequest(std::string("malformed value table for ") + what);
    return flatbuffers::GetRoot<Table>(bytes.data());
}

}  // namespace remoteobj::detail
