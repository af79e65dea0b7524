// Verification of incoming envelopes; see envelope.hpp.
#include "remoteobj/envelope.hpp"

namespace remoteobj::detail {

flatbuffers::Verifier::Options verifier_options() {
    flatbuffers::Verifier::Options options;
    options.max_depth = 64;
    options.max_tables = 1u << 20;
    options.check_alignment = true;
    return options;
}

const wire::Envelope* verify_envelope(Bytes frame) {
    flatbuffers::Verifier verifier(frame.data(), frame.size(), verifier_options());
    if (!verifier.VerifySizePrefixedBuffer<wire::Envelope>(nullptr)) return nullptr;
    return flatbuffers::GetSizePrefixedRoot<wire::Envelope>(frame.data());
}

}  // namespace remoteobj::detail
