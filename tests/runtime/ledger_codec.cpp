// The address of vendor::ReadOptions's codec as another translation unit than
// own_types_test.cpp sees it (one that includes ledger.hpp only): one codec per
// program means one address.
#include "ledger.hpp"

using ReadOptionsToWire = decltype(&remoteobj::detail::Codec<vendor::ReadOptions>::to_wire);

ReadOptionsToWire ledger_codec_address() { return &remoteobj::detail::Codec<vendor::ReadOptions>::to_wire; }
