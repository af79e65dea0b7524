// JSON values to and from the FlatBuffers tables a member's values travel in,
// driven by the type trees of the description (docs/description.md): a table's
// field i is its vtable slot i, laid out as generator/emit/naming.cpp's fbs_type
// says. Encodes only the kinds listed in docs/cli.md; any other is refused with
// a UsageError naming the value and its kind, never sent as a wrong value.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <flatbuffers/flatbuffers.h>
#include <nlohmann/json.hpp>

namespace remoteobj::cli {

/// One field of a table to build: its type tree, its value, and its name in messages
/// ("Shop::add: argument b").
struct FieldValue {
    const nlohmann::json* type;
    const nlohmann::json* value;
    std::string what;
};

/// `classes` is the description's `classes` array: a REMOTEOBJ struct passed by value
/// (kind `object`) travels as the table of its class's fields, when the class is there.

/// Throws UsageError unless `type` is a kind this codec encodes and decodes
/// (`what` names the value in the message).
void check_supported(const nlohmann::json& type, const std::string& what, const nlohmann::json& classes);

/// Builds a table with `fields` in slots 0, 1, ... and finishes `fbb` with it.
/// Throws UsageError for a value of the wrong type or out of range.
void encode_table(flatbuffers::FlatBufferBuilder& fbb, const std::vector<FieldValue>& fields,
                  const nlohmann::json& classes);

/// The value in slot `slot` of the table `bytes` holds, of type `type`, as JSON.
/// Throws UsageError when the bytes are not such a table.
nlohmann::json decode_field(std::span<const std::uint8_t> bytes, unsigned slot, const nlohmann::json& type,
                            const std::string& what, const nlohmann::json& classes);

}  // namespace remoteobj::cli
