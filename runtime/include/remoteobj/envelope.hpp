// The FlatBuffers envelope (schemas/remoteobj.fbs): verifying what arrives, and
// reading the nested per-member tables. Nothing is read from a buffer before
// flatbuffers::Verifier has accepted it; that is this layer's one promise.
#pragma once

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

/// Writes `info` as a Failure table.
flatbuffers::Offset<wire::Failure> write_failure(flatbuffers::FlatBufferBuilder& fbb, const RemoteInfo& info);

/// Reads a (verified) Failure table; absent fields read as empty.
RemoteInfo read_failure(const wire::Failure* failure);

/// Verifies `bytes` as a FlatBuffer with root `Table`; throws ProtocolError naming
/// `what` (the member it was meant for) when it is not one.
template <class Table>
const Table* verified_root(Bytes bytes, const char* what) {
    flatbuffers::Verifier verifier(bytes.data(), bytes.size(), verifier_options());
    if (bytes.empty() || !verifier.VerifyBuffer<Table>(nullptr))
        throw BadRequest(std::string("malformed value table for ") + what);
    return flatbuffers::GetRoot<Table>(bytes.data());
}

}  // namespace remoteobj::detail
