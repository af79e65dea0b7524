// The FlatBuffers envelope (schemas/remoteobj.fbs): verifying what arrives, and
// reading the nested per-member tables. Nothing is read from a buffer before
// flatbuffers::Verifier has accepted it; that is this layer's one promise.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include "remoteobj/channel.hpp"
#include "remoteobj/error.hpp"
#include "remoteobj/wire/remoteobj_generated.h"

namespace remoteobj::detail {

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

/// Verifies `bytes` as a FlatBuffer with root `Table`; throws ProtocolError naming
/// `what` (the member it was meant for) when it is not one.
template <class Table>
const Table* verified_root(Bytes bytes, const char* what) {
    flatbuffers::Verifier verifier(bytes.data(), bytes.size(), verifier_options());
    if (bytes.empty() || !verifier.VerifyBuffer<Table>(nullptr))
        throw ProtocolError(std::string("malformed value table for ") + what);
    return flatbuffers::GetRoot<Table>(bytes.data());
}

}  // namespace remoteobj::detail
