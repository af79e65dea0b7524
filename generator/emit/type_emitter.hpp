// The types a header's members use that are not its classes: pairs, tuples,
// variants, maps as values, and containers nested in containers. Each travels as a
// table named after the type, with a Codec specialised for it.
//
// A type made only of standard types (std::map<std::string, int>) is the same in
// every header that uses it, and a program may have one Codec of it only: its
// table and codecs go to files of their own, `remoteobj_types/<Table>.fbs` and
// `<Table>.remote.hpp` (include-guarded, inline), which every header using the
// type includes. A type holding a REMOTEOBJ struct (std::pair<int, Point>) is
// generated with the header that uses it, after that struct's own codec.
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"

namespace remoteobj::gen {

struct TypeTable {
    TypeModel type;
    std::string table;  // "Map_std_string_int", "List_std_vector_int"
    bool element;       // a container inside a container: an element table (one `value` field)
};

/// Every type of `model` that travels as a table of its own, innermost first, each once.
std::vector<TypeTable> type_tables(const HeaderModel& model);

/// Whether the type holds no REMOTEOBJ class at any depth: generated once, in its own files.
bool is_shared(const TypeModel& type);

/// "remoteobj_types/Map_std_string_int": the shared files' path, without extension,
/// relative to the generated directory (which is on the include path).
std::string shared_path(const TypeTable& type);

/// The table's schema text (`table X { ... }`), for the header's schema or its own file.
std::string type_table_schema(const TypeTable& type);

/// The codec declarations a type's table needs (Codec or Element, and ValueCodec
/// when the runtime has none), and their definitions, `prefix` before each ("inline ").
std::string type_codec_declarations(const TypeTable& type);
std::string type_codec_definitions(const TypeTable& type, const std::string& prefix);

/// ValueCodec<T> for `spelling` (a whole value as a FlatBuffer whose root is `table`):
/// its declaration, and its definition with `prefix` before it.
std::string value_codec_declaration(const std::string& spelling);
std::string value_codec_definition(const std::string& spelling, const std::string& table, const std::string& prefix);

/// The shared files of a type: its schema, and its codec header.
/// The statement that reads field `name` of a by-value struct (a REMOTEOBJ value
/// class or a plain aggregate) from its table, `position` its place there. Fields
/// are positional (new ones go last); one an older build's table lacks keeps its
/// default member initialiser. An optional's absence is its emptiness, so it is
/// always read: a new optional field reads as empty from an older peer.
std::string read_struct_field(const std::string& name, const TypeModel& type, std::size_t position);

std::string shared_type_schema(const TypeTable& type);
std::string shared_type_header(const TypeTable& type);

}  // namespace remoteobj::gen
