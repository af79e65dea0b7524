// JSON <-> FlatBuffers by the description's type trees; see value_codec.hpp.
#include "value_codec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <variant>

#include <fmt/format.h>

#include "usage_error.hpp"

namespace remoteobj::cli {

namespace {

using nlohmann::json;

// The description's classes: where a REMOTEOBJ struct passed by value (kind 'object') finds its fields.
using Classes = json;

// How a scalar sits in a table or a vector.
enum class Scalar { boolean, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64 };

std::string kind_of(const json& type) { return type.value("kind", "?"); }
std::string spelling(const json& type) { return type.value("cpp", type.value("wire", kind_of(type))); }

// What the value travels as: an atomic and an adapted type travel as their argument (an enum keeps
// its kind, for its enumerators; scalar_of() reads its underlying integer).
const json& wire_type(const json& type) {
    const std::string kind = kind_of(type);
    if ((kind == "atomic" || kind == "adapted") && type.contains("args") && !type["args"].empty())
        return wire_type(type["args"][0]);
    return type;
}

std::optional<Scalar> scalar_of(const json& given) {
    const json& type = wire_type(given);
    const std::string kind = kind_of(type);
    if (kind == "bool") return Scalar::boolean;
    if (kind == "enum") return scalar_of(type.at("args").at(0));
    if (kind == "floating") return type.value("bits", 64) == 32 ? Scalar::float32 : Scalar::float64;
    if (kind != "integer") return std::nullopt;
    const bool is_signed = type.value("signed", true);
    switch (type.value("bits", 0)) {
    case 8: return is_signed ? Scalar::int8 : Scalar::uint8;
    case 16: return is_signed ? Scalar::int16 : Scalar::uint16;
    case 32: return is_signed ? Scalar::int32 : Scalar::uint32;
    case 64: return is_signed ? Scalar::int64 : Scalar::uint64;
    default: return std::nullopt;
    }
}

bool is_string(const json& type) {
    const std::string kind = kind_of(wire_type(type));
    return kind == "string" || kind == "string_view";
}

bool is_sequence(const json& type) {
    const std::string kind = kind_of(wire_type(type));
    return kind == "vector" || kind == "array" || kind == "set" || kind == "span";
}

// An element of a sequence that travels as itself (not in an element table).
bool is_plain_element(const json& element) { return scalar_of(element).has_value() || is_string(element); }

// A struct's fields in table order (slot i is field i): an aggregate's from its type tree, a
// REMOTEOBJ struct's from its class in the description (its `by_value` fields, in declaration
// order); nullopt for any other type, or a class this description does not hold.
using StructFields = std::vector<std::pair<std::string, const json*>>;
std::optional<StructFields> struct_fields(const json& type, const Classes& classes) {
    const std::string kind = kind_of(type);
    StructFields out;
    if (kind == "aggregate") {
        const json& names = type.at("fields");
        const json& types = type.at("args");
        if (names.size() != types.size()) return std::nullopt;
        for (std::size_t i = 0; i < names.size(); ++i) out.emplace_back(names[i].get<std::string>(), &types[i]);
        return out;
    }
    if (kind != "object" || !classes.is_array()) return std::nullopt;
    std::string name = type.value("cpp", "");
    if (name.starts_with("::")) name.erase(0, 2);
    for (const json& cls : classes) {
        if (cls.value("qualified_name", "") != name) continue;
        if (!cls.value("by_value", false)) return std::nullopt;
        for (const json& member : cls.at("members"))
            if (member.value("kind", "") == "field") out.emplace_back(member.value("name", ""), &member.at("type"));
        return out;
    }
    return std::nullopt;
}

[[noreturn]] void refuse_kind(const json& type, const std::string& what) {
    throw UsageError(fmt::format("{}: values of type {} (kind '{}') are not encoded by this tool yet "
                                 "(docs/cli.md lists the kinds it encodes)",
                                 what, spelling(type), kind_of(type)));
}

[[noreturn]] void wrong_type(const json& value, const json& type, const std::string& what, std::string_view expected) {
    throw UsageError(fmt::format("{}: {} is not {} (the type is {})", what, value.dump(), expected, spelling(type)));
}

// --- scalars ---

struct ScalarValue {
    Scalar scalar;
    std::variant<bool, std::int64_t, std::uint64_t, double> value;
};

template <class T>
void check_integer_range(const json& value, const json& type, const std::string& what) {
    const bool fits = value.is_number_unsigned()
                          ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                          : value.get<std::int64_t>() >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                                (value.get<std::int64_t>() < 0 ||
                                 static_cast<std::uint64_t>(value.get<std::int64_t>()) <=
                                     static_cast<std::uint64_t>(std::numeric_limits<T>::max()));
    if (!fits)
        throw UsageError(fmt::format("{}: {} is out of range for {} ({}..{})", what, value.dump(), spelling(type),
                                     +std::numeric_limits<T>::min(), +std::numeric_limits<T>::max()));
}

ScalarValue to_scalar(const json& value, const json& given, const std::string& what) {
    const json& type = wire_type(given);
    const Scalar scalar = *scalar_of(type);
    if (scalar == Scalar::boolean) {
        if (!value.is_boolean()) wrong_type(value, type, what, "true or false");
        return {scalar, value.get<bool>()};
    }
    if (scalar == Scalar::float32 || scalar == Scalar::float64) {
        if (!value.is_number()) wrong_type(value, type, what, "a number");
        const double d = value.get<double>();
        if (scalar == Scalar::float32 && std::isfinite(d) && std::fabs(d) > std::numeric_limits<float>::max())
            throw UsageError(fmt::format("{}: {} is out of range for {}", what, value.dump(), spelling(type)));
        return {scalar, d};
    }
    const bool is_enum = kind_of(type) == "enum";
    if (!value.is_number_integer()) {
        if (is_enum && value.is_string())
            throw UsageError(fmt::format("{}: the description lists {}'s enumerators by value only: pass one of {}",
                                         what, spelling(type), type.value("enumerators", json::array()).dump()));
        wrong_type(value, type, what, is_enum ? "an enumerator's value" : "an integer");
    }
    switch (scalar) {
    case Scalar::int8: check_integer_range<std::int8_t>(value, type, what); break;
    case Scalar::uint8: check_integer_range<std::uint8_t>(value, type, what); break;
    case Scalar::int16: check_integer_range<std::int16_t>(value, type, what); break;
    case Scalar::uint16: check_integer_range<std::uint16_t>(value, type, what); break;
    case Scalar::int32: check_integer_range<std::int32_t>(value, type, what); break;
    case Scalar::uint32: check_integer_range<std::uint32_t>(value, type, what); break;
    case Scalar::int64: check_integer_range<std::int64_t>(value, type, what); break;
    default: check_integer_range<std::uint64_t>(value, type, what); break;
    }
    if (is_enum) {
        const json enumerators = type.value("enumerators", json::array());
        if (std::find(enumerators.begin(), enumerators.end(), value) == enumerators.end())
            throw UsageError(fmt::format("{}: {} is not an enumerator of {} (one of {})", what, value.dump(),
                                         spelling(type), enumerators.dump()));
    }
    if (value.is_number_unsigned()) return {scalar, value.get<std::uint64_t>()};
    return {scalar, value.get<std::int64_t>()};
}

template <class T>
T as(const ScalarValue& s) {
    return std::visit([](auto v) { return static_cast<T>(v); }, s.value);
}

void add_scalar(flatbuffers::FlatBufferBuilder& fbb, flatbuffers::voffset_t field, const ScalarValue& s) {
    switch (s.scalar) {
    case Scalar::boolean: fbb.AddElement<std::uint8_t>(field, as<bool>(s) ? 1 : 0, 0); break;
    case Scalar::int8: fbb.AddElement<std::int8_t>(field, as<std::int8_t>(s), 0); break;
    case Scalar::uint8: fbb.AddElement<std::uint8_t>(field, as<std::uint8_t>(s), 0); break;
    case Scalar::int16: fbb.AddElement<std::int16_t>(field, as<std::int16_t>(s), 0); break;
    case Scalar::uint16: fbb.AddElement<std::uint16_t>(field, as<std::uint16_t>(s), 0); break;
    case Scalar::int32: fbb.AddElement<std::int32_t>(field, as<std::int32_t>(s), 0); break;
    case Scalar::uint32: fbb.AddElement<std::uint32_t>(field, as<std::uint32_t>(s), 0); break;
    case Scalar::int64: fbb.AddElement<std::int64_t>(field, as<std::int64_t>(s), 0); break;
    case Scalar::uint64: fbb.AddElement<std::uint64_t>(field, as<std::uint64_t>(s), 0); break;
    case Scalar::float32: fbb.AddElement<float>(field, as<float>(s), 0); break;
    case Scalar::float64: fbb.AddElement<double>(field, as<double>(s), 0); break;
    }
}

template <class T>
flatbuffers::uoffset_t scalar_vector(flatbuffers::FlatBufferBuilder& fbb, const std::vector<ScalarValue>& items) {
    std::vector<T> out;
    out.reserve(items.size());
    for (const ScalarValue& s : items) out.push_back(as<T>(s));
    return fbb.CreateVector(out).o;
}

// --- what a field holds: nothing (absent), a scalar, or an offset built before the table ---

using Slot = std::variant<std::monostate, ScalarValue, flatbuffers::uoffset_t>;

void add_slot(flatbuffers::FlatBufferBuilder& fbb, unsigned slot, const Slot& value);

Slot prepare(flatbuffers::FlatBufferBuilder& fbb, const json& value, const json& given, const std::string& what,
             const Classes& classes) {
    check_supported(given, what, classes);
    const json& type = wire_type(given);
    const std::string kind = kind_of(type);
    if (kind == "optional" || kind == "c_string") {
        if (value.is_null()) return std::monostate{};  // absent: an empty optional, a null pointer
        if (kind == "c_string") {
            if (!value.is_string()) wrong_type(value, type, what, "a string or null");
            return fbb.CreateString(value.get<std::string>()).o;
        }
        return prepare(fbb, value, type.at("args").at(0), what, classes);
    }
    if (scalar_of(type)) return to_scalar(value, type, what);
    if (const std::optional<StructFields> fields = struct_fields(type, classes)) {
        // A JSON object; a field left out keeps the struct's own default there.
        if (!value.is_object()) wrong_type(value, type, what, "an object");
        for (const auto& [key, unused] : value.items())
            if (std::none_of(fields->begin(), fields->end(), [&](const auto& f) { return f.first == key; })) {
                std::string names;
                for (const auto& f : *fields) names += (names.empty() ? "" : ", ") + f.first;
                throw UsageError(fmt::format("{}: {} has no field '{}' (its fields: {})", what, spelling(type), key, names));
            }
        std::vector<Slot> slots;
        for (const auto& [name, field_type] : *fields)
            slots.push_back(value.contains(name)
                                ? prepare(fbb, value[name], *field_type, fmt::format("{}.{}", what, name), classes)
                                : Slot{std::monostate{}});
        const flatbuffers::uoffset_t start = fbb.StartTable();
        for (std::size_t i = 0; i < slots.size(); ++i) add_slot(fbb, static_cast<unsigned>(i), slots[i]);
        return fbb.EndTable(start);
    }
    if (is_string(type)) {
        if (!value.is_string()) wrong_type(value, type, what, "a string");
        return fbb.CreateString(value.get<std::string>()).o;
    }
    // A sequence of scalars or strings (check_supported refused the rest).
    if (!value.is_array()) wrong_type(value, type, what, "an array");
    if (kind == "array" && type.contains("size") && value.size() != type["size"].get<std::size_t>())
        throw UsageError(fmt::format("{}: {} elements given, {} holds exactly {}", what, value.size(),
                                     spelling(type), type["size"].get<std::size_t>()));
    const json& element = type.at("args").at(0);
    if (is_string(element)) {
        std::vector<flatbuffers::Offset<flatbuffers::String>> strings;
        for (std::size_t i = 0; i < value.size(); ++i) {
            if (!value[i].is_string()) wrong_type(value[i], element, fmt::format("{}[{}]", what, i), "a string");
            strings.push_back(fbb.CreateString(value[i].get<std::string>()));
        }
        return fbb.CreateVector(strings).o;
    }
    std::vector<ScalarValue> items;
    for (std::size_t i = 0; i < value.size(); ++i) items.push_back(to_scalar(value[i], element, fmt::format("{}[{}]", what, i)));
    switch (*scalar_of(element)) {
    case Scalar::boolean: return scalar_vector<std::uint8_t>(fbb, items);
    case Scalar::int8: return scalar_vector<std::int8_t>(fbb, items);
    case Scalar::uint8: return scalar_vector<std::uint8_t>(fbb, items);
    case Scalar::int16: return scalar_vector<std::int16_t>(fbb, items);
    case Scalar::uint16: return scalar_vector<std::uint16_t>(fbb, items);
    case Scalar::int32: return scalar_vector<std::int32_t>(fbb, items);
    case Scalar::uint32: return scalar_vector<std::uint32_t>(fbb, items);
    case Scalar::int64: return scalar_vector<std::int64_t>(fbb, items);
    case Scalar::uint64: return scalar_vector<std::uint64_t>(fbb, items);
    case Scalar::float32: return scalar_vector<float>(fbb, items);
    case Scalar::float64: return scalar_vector<double>(fbb, items);
    }
    return std::monostate{};
}

// --- decoding, verified as it reads ---

[[noreturn]] void malformed(const std::string& what) {
    throw UsageError(fmt::format("{}: the reply is not the table the description names (a listener of another "
                                 "build?)",
                                 what));
}

template <class T>
json read_scalar(const flatbuffers::Table& table, flatbuffers::voffset_t field, flatbuffers::Verifier& verifier,
                 const std::string& what) {
    if (!table.VerifyField<T>(verifier, field, sizeof(T))) malformed(what);
    return json(table.GetField<T>(field, T{}));
}

template <class T>
json read_scalar_vector(const flatbuffers::Table& table, flatbuffers::voffset_t field,
                        flatbuffers::Verifier& verifier, const std::string& what, bool boolean) {
    const auto* vector = table.GetPointer<const flatbuffers::Vector<T>*>(field);
    if (!verifier.VerifyVector(vector)) malformed(what);
    json out = json::array();
    if (vector)
        for (T item : *vector) out.push_back(boolean ? json(item != 0) : json(item));
    return out;
}

flatbuffers::voffset_t slot_offset(unsigned slot) {
    return static_cast<flatbuffers::voffset_t>(flatbuffers::FieldIndexToOffset(static_cast<flatbuffers::voffset_t>(slot)));
}

json read_value(const flatbuffers::Table& table, flatbuffers::voffset_t field, const json& given,
                flatbuffers::Verifier& verifier, const std::string& what, const Classes& classes) {
    const json& type = wire_type(given);
    const std::string kind = kind_of(type);
    const bool present = table.GetOptionalFieldOffset(field) != 0;
    if (kind == "optional" || kind == "c_string") {
        if (!present) return nullptr;
        if (kind == "optional") return read_value(table, field, type.at("args").at(0), verifier, what, classes);
    }
    if (const std::optional<Scalar> scalar = scalar_of(type)) {
        switch (*scalar) {
        case Scalar::boolean: return read_scalar<std::uint8_t>(table, field, verifier, what).get<int>() != 0;
        case Scalar::int8: return read_scalar<std::int8_t>(table, field, verifier, what);
        case Scalar::uint8: return read_scalar<std::uint8_t>(table, field, verifier, what);
        case Scalar::int16: return read_scalar<std::int16_t>(table, field, verifier, what);
        case Scalar::uint16: return read_scalar<std::uint16_t>(table, field, verifier, what);
        case Scalar::int32: return read_scalar<std::int32_t>(table, field, verifier, what);
        case Scalar::uint32: return read_scalar<std::uint32_t>(table, field, verifier, what);
        case Scalar::int64: return read_scalar<std::int64_t>(table, field, verifier, what);
        case Scalar::uint64: return read_scalar<std::uint64_t>(table, field, verifier, what);
        case Scalar::float32: return read_scalar<float>(table, field, verifier, what);
        case Scalar::float64: return read_scalar<double>(table, field, verifier, what);
        }
    }
    if (!table.VerifyOffset(verifier, field)) malformed(what);
    if (const std::optional<StructFields> fields = struct_fields(type, classes)) {
        const auto* inner = table.GetPointer<const flatbuffers::Table*>(field);
        if (!inner) return nullptr;
        if (!inner->VerifyTableStart(verifier)) malformed(what);
        json out = json::object();
        for (std::size_t i = 0; i < fields->size(); ++i) {
            const auto& [name, field_type] = (*fields)[i];
            out[name] = read_value(*inner, slot_offset(static_cast<unsigned>(i)), *field_type, verifier,
                                   fmt::format("{}.{}", what, name), classes);
        }
        if (!verifier.EndTable()) malformed(what);
        return out;
    }
    if (is_string(type) || kind == "c_string") {
        const auto* text = table.GetPointer<const flatbuffers::String*>(field);
        if (!verifier.VerifyString(text)) malformed(what);
        return text ? text->str() : std::string();
    }
    const json& element = type.at("args").at(0);
    if (is_string(element)) {
        const auto* strings = table.GetPointer<const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>*>(field);
        if (!verifier.VerifyVector(strings) || (strings && !verifier.VerifyVectorOfStrings(strings))) malformed(what);
        json out = json::array();
        if (strings)
            for (const flatbuffers::String* s : *strings) out.push_back(s->str());
        return out;
    }
    switch (*scalar_of(element)) {
    case Scalar::boolean: return read_scalar_vector<std::uint8_t>(table, field, verifier, what, true);
    case Scalar::int8: return read_scalar_vector<std::int8_t>(table, field, verifier, what, false);
    case Scalar::uint8: return read_scalar_vector<std::uint8_t>(table, field, verifier, what, false);
    case Scalar::int16: return read_scalar_vector<std::int16_t>(table, field, verifier, what, false);
    case Scalar::uint16: return read_scalar_vector<std::uint16_t>(table, field, verifier, what, false);
    case Scalar::int32: return read_scalar_vector<std::int32_t>(table, field, verifier, what, false);
    case Scalar::uint32: return read_scalar_vector<std::uint32_t>(table, field, verifier, what, false);
    case Scalar::int64: return read_scalar_vector<std::int64_t>(table, field, verifier, what, false);
    case Scalar::uint64: return read_scalar_vector<std::uint64_t>(table, field, verifier, what, false);
    case Scalar::float32: return read_scalar_vector<float>(table, field, verifier, what, false);
    case Scalar::float64: return read_scalar_vector<double>(table, field, verifier, what, false);
    }
    malformed(what);
}

void add_slot(flatbuffers::FlatBufferBuilder& fbb, unsigned slot, const Slot& value) {
    if (const auto* scalar = std::get_if<ScalarValue>(&value)) add_scalar(fbb, slot_offset(slot), *scalar);
    else if (const auto* offset = std::get_if<flatbuffers::uoffset_t>(&value))
        fbb.AddOffset(slot_offset(slot), flatbuffers::Offset<void>(*offset));
}

}  // namespace

void check_supported(const json& given, const std::string& what, const Classes& classes) {
    const json& type = wire_type(given);
    const std::string kind = kind_of(type);
    if (scalar_of(type) || is_string(type) || kind == "c_string") return;
    if (const std::optional<StructFields> fields = struct_fields(type, classes)) {
        for (const auto& [name, field_type] : *fields)
            check_supported(*field_type, fmt::format("{}.{}", what, name), classes);
        return;
    }
    if (kind == "optional") {
        const json& inner = type.at("args").at(0);
        if (scalar_of(inner) || is_string(inner) || is_sequence(inner) || struct_fields(inner, classes))
            return check_supported(inner, what, classes);
        refuse_kind(type, what);
    }
    if (is_sequence(type) && is_plain_element(type.at("args").at(0))) return;
    refuse_kind(type, what);
}

void encode_table(flatbuffers::FlatBufferBuilder& fbb, const std::vector<FieldValue>& fields, const Classes& classes) {
    fbb.ForceDefaults(true);  // a value equal to the default is sent too: an optional's 0 is not "absent"
    std::vector<Slot> slots;
    for (const FieldValue& field : fields) slots.push_back(prepare(fbb, *field.value, *field.type, field.what, classes));
    const flatbuffers::uoffset_t start = fbb.StartTable();
    for (std::size_t i = 0; i < slots.size(); ++i) add_slot(fbb, static_cast<unsigned>(i), slots[i]);
    fbb.Finish(flatbuffers::Offset<flatbuffers::Table>(fbb.EndTable(start)));
}

json decode_field(std::span<const std::uint8_t> bytes, unsigned slot, const json& type, const std::string& what,
                  const Classes& classes) {
    flatbuffers::Verifier verifier(bytes.data(), bytes.size());
    if (bytes.size() < sizeof(flatbuffers::uoffset_t) || !verifier.VerifyOffset(0)) malformed(what);
    const auto* table = flatbuffers::GetRoot<flatbuffers::Table>(bytes.data());
    if (!table->VerifyTableStart(verifier)) malformed(what);
    json out = read_value(*table, slot_offset(slot), type, verifier, what, classes);
    return out;
}

}  // namespace remoteobj::cli
