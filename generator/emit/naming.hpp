// The names and C++/FlatBuffers spellings every emitter must agree on: table
// names, namespaces, and how each TypeModel is written in the schema and in code.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "emit/emit_names.hpp"
#include "model/model.hpp"

namespace remoteobj::gen {

/// The FlatBuffers namespace of generated tables, and its C++ spelling.
inline constexpr const char* schema_namespace = "remoteobj.gen";
inline constexpr const char* schema_cpp_namespace = "::remoteobj::gen";

/// "app::Counter" -> "app_Counter": a class's prefix for table and trait names.
std::string class_stem(const ClassModel& cls);

/// The prefix of a member's tables ("Counter_toggle"); overloads get their id appended.
std::string member_stem(const ClassModel& cls, const FieldModel& field);
std::string member_stem(const ClassModel& cls, const MethodModel& method);

/// The table a REMOTEOBJ struct travels as by value ("app_Point_Struct"), from its spelling.
std::string struct_table(const std::string& spelling);

/// Whether `cls` can travel by value: no Remote member, no const, atomic or map
/// field, and any REMOTEOBJ field itself such a struct of `model`.
bool is_value_struct(const HeaderModel& model, const ClassModel& cls);

/// The table a std::pair / std::tuple / std::variant type travels as.
std::string composite_table(const TypeModel& type);

/// Every distinct pair, tuple and variant type the classes of `model` use.
std::vector<TypeModel> composite_types(const HeaderModel& model);

/// Every distinct enum type the classes of `model` use, at any depth.
std::vector<TypeModel> enum_types(const HeaderModel& model);

/// Whether `element`, inside a vector, set, array or map, needs a table of its own:
/// FlatBuffers has no vector of vectors and no optional element.
bool needs_element_table(const TypeModel& element);

/// The table such an element travels in ("List_std_vector_int": one field, `value`).
std::string element_table(const TypeModel& element);

/// Every distinct element type of `model` that needs its element table.
std::vector<TypeModel> element_table_types(const HeaderModel& model);

/// Whether the runtime's ValueCodec handles this element-table type itself (a
/// vector of numbers, bools, enums or strings); the generator specialises the rest.
bool has_runtime_value_codec(const TypeModel& type);

/// The schemas of other headers whose REMOTEOBJ structs the classes of `model` pass
/// by value ("point.remote.fbs"): the schema includes them. `siblings` names the
/// generated files of the target's other headers; any other header's are named
/// after its file name without the last extension.
std::vector<std::string> foreign_schemas(const HeaderModel& model,
                                         const std::map<std::string, std::string>& siblings = {});

/// How generated files name the user's header: as they include it.
std::string source_name(const HeaderModel& model, const EmitNames& names);

/// How `element` is written inside a FlatBuffers vector: its element table, or its own type.
std::string fbs_element_type(const TypeModel& element);

/// "::app::Counter"
std::string cpp_class(const ClassModel& cls);

/// The field type of a value in a FlatBuffers table ("int", "string").
std::string fbs_type(const TypeModel& type);

/// The C++ type a value has once received: an atomic's value type, a string_view's
/// std::string, a span's std::vector (or std::array), a const char*'s std::optional<std::string>.
std::string value_type(const TypeModel& type);

/// The type whose Codec encodes a value of this type (an atomic's value type; a
/// span or a const char* itself, which its Codec sends).
std::string codec_type(const TypeModel& type);

/// How a generated stub takes a parameter of this type.
std::string param_type(const ParamModel& param);

/// The field of a method's result table that carries an in-out parameter's value
/// back ("inout_value": never `value`, the result's own field).
std::string in_out_field(const ParamModel& param);

/// `text` as a C++ identifier: each run of other characters becomes one '_'
/// ("REMOTEOBJ_E::app::Color" -> "REMOTEOBJ_E_app_Color").
std::string identifier(const std::string& text);

/// A C++ string literal of `text`.
std::string quoted(const std::string& text);

/// `text` as `///` comment lines indented by `indent`; "" when there is no text.
std::string doc_comment(const std::string& text, const std::string& indent);

}  // namespace remoteobj::gen
