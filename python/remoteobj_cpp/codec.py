"""Python values to and from the FlatBuffers tables a member's values travel
in, driven by the description's type trees (docs/description.md). Mirrors
cli/value_codec.cpp: a table's field i is vtable slot i; scalars inline,
strings and vectors and struct tables by offset; an empty optional is an
absent field. A kind it does not encode is refused with a TypeError naming
the value and the kind, before anything is sent: never sent as a wrong value.
"""

import struct

import flatbuffers
from flatbuffers import number_types as N
from flatbuffers.table import Table

from .errors import ProtocolError

# (Builder slot method suffix, flatbuffers flags, struct size, lo, hi)
_INTEGERS = {
    (8, True): ("Int8", N.Int8Flags, -(1 << 7), (1 << 7) - 1),
    (8, False): ("Uint8", N.Uint8Flags, 0, (1 << 8) - 1),
    (16, True): ("Int16", N.Int16Flags, -(1 << 15), (1 << 15) - 1),
    (16, False): ("Uint16", N.Uint16Flags, 0, (1 << 16) - 1),
    (32, True): ("Int32", N.Int32Flags, -(1 << 31), (1 << 31) - 1),
    (32, False): ("Uint32", N.Uint32Flags, 0, (1 << 32) - 1),
    (64, True): ("Int64", N.Int64Flags, -(1 << 63), (1 << 63) - 1),
    (64, False): ("Uint64", N.Uint64Flags, 0, (1 << 64) - 1),
}
_FLOAT32_MAX = 3.4028234663852886e38


def kind_of(type):
    return type.get("kind", "?")


def spelling(type):
    return type.get("cpp", type.get("wire", kind_of(type)))


def wire_type(type):
    """What the value travels as: an atomic or adapted type travels as its argument."""
    if kind_of(type) in ("atomic", "adapted") and type.get("args"):
        return wire_type(type["args"][0])
    return type


class _Scalar:
    def __init__(self, name, flags, lo=None, hi=None, kind="integer"):
        self.name, self.flags, self.lo, self.hi, self.kind = name, flags, lo, hi, kind


def scalar_of(type):
    type = wire_type(type)
    kind = kind_of(type)
    if kind == "bool":
        return _Scalar("Bool", N.BoolFlags, kind="bool")
    if kind == "enum":
        return scalar_of(type["args"][0])
    if kind == "floating":
        return (_Scalar("Float32", N.Float32Flags, kind="float") if type.get("bits", 64) == 32
                else _Scalar("Float64", N.Float64Flags, kind="float"))
    if kind != "integer":
        return None
    found = _INTEGERS.get((type.get("bits", 0), type.get("signed", True)))
    return _Scalar(*found) if found else None


def is_string(type):
    return kind_of(wire_type(type)) in ("string", "string_view")


def is_sequence(type):
    return kind_of(wire_type(type)) in ("vector", "array", "set", "span")


def struct_fields(type, classes):
    """[(name, type)] in table order for a by-value struct, else None."""
    kind = kind_of(type)
    if kind == "aggregate":
        names, types = type.get("fields", []), type.get("args", [])
        return list(zip(names, types)) if len(names) == len(types) else None
    if kind != "object":
        return None
    name = type.get("cpp", "").removeprefix("::")
    for cls in classes:
        if cls.get("qualified_name") == name:
            if not cls.get("by_value"):
                return None
            return [(m.get("name", ""), m["type"]) for m in cls.get("members", []) if m.get("kind") == "field"]
    return None


def check_supported(given, what, classes):
    """Raises TypeError unless values of `given` are encoded and decoded here."""
    type = wire_type(given)
    kind = kind_of(type)
    if scalar_of(type) or is_string(type) or kind == "c_string":
        return
    fields = struct_fields(type, classes)
    if fields is not None:
        for name, field_type in fields:
            check_supported(field_type, f"{what}.{name}", classes)
        return
    if kind == "optional":
        inner = type["args"][0]
        if scalar_of(inner) or is_string(inner) or is_sequence(inner) or struct_fields(inner, classes) is not None:
            return check_supported(inner, what, classes)
    elif is_sequence(type):
        element = type["args"][0]
        if scalar_of(element) or is_string(element):
            return
    raise TypeError(f"{what}: values of type {spelling(type)} (kind '{kind}') are not encoded by remoteobj_cpp "
                    "yet (docs/python.md lists the kinds it encodes)")


def _wrong(value, type, what, expected):
    return TypeError(f"{what}: {value!r} is not {expected} (the type is {spelling(type)})")


def _to_scalar(value, given, what):
    type = wire_type(given)
    s = scalar_of(type)
    if s.kind == "bool":
        if not isinstance(value, bool):
            raise _wrong(value, type, what, "True or False")
        return value
    if s.kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _wrong(value, type, what, "a number")
        value = float(value)
        if s.name == "Float32" and abs(value) != float("inf") and abs(value) > _FLOAT32_MAX:
            raise OverflowError(f"{what}: {value!r} is out of range for {spelling(type)}")
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(value, type, what, "an enumerator's value" if kind_of(type) == "enum" else "an integer")
    value = int(value)  # an IntEnum crosses as its value
    if not s.lo <= value <= s.hi:
        raise OverflowError(f"{what}: {value} is out of range for {spelling(type)} ({s.lo}..{s.hi})")
    if kind_of(type) == "enum" and "enumerators" in type and value not in type["enumerators"]:
        raise ValueError(f"{what}: {value} is not an enumerator of {spelling(type)} (one of {type['enumerators']})")
    return value


# A prepared slot: None (absent), ("scalar", _Scalar, value) or ("offset", offset).

def _prepare(b, value, given, what, classes):
    check_supported(given, what, classes)
    type = wire_type(given)
    kind = kind_of(type)
    if kind in ("optional", "c_string"):
        if value is None:
            return None
        if kind == "c_string":
            if not isinstance(value, str):
                raise _wrong(value, type, what, "a str or None")
            return ("offset", b.CreateString(value))
        return _prepare(b, value, type["args"][0], what, classes)
    s = scalar_of(type)
    if s:
        return ("scalar", s, _to_scalar(value, type, what))
    fields = struct_fields(type, classes)
    if fields is not None:
        # A dict (or an object with the fields as attributes); a field left out keeps the struct's default.
        if not isinstance(value, dict) and hasattr(value, "__dict__"):
            value = {name: getattr(value, name) for name, _ in fields if hasattr(value, name)}
        if not isinstance(value, dict):
            raise _wrong(value, type, what, "a dict of its fields")
        names = [name for name, _ in fields]
        for key in value:
            if key not in names:
                raise TypeError(f"{what}: {spelling(type)} has no field {key!r} (its fields: {', '.join(names)})")
        slots = [_prepare(b, value[name], field_type, f"{what}.{name}", classes) if name in value else None
                 for name, field_type in fields]
        return ("offset", _table(b, slots))
    if is_string(type):
        if not isinstance(value, str):
            raise _wrong(value, type, what, "a str")
        return ("offset", b.CreateString(value))
    # A sequence of scalars or strings (check_supported refused the rest).
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise _wrong(value, type, what, "a list or tuple")
    items = list(value)
    if kind == "array" and "size" in type and len(items) != type["size"]:
        raise ValueError(f"{what}: {len(items)} elements given, {spelling(type)} holds exactly {type['size']}")
    element = type["args"][0]
    if is_string(element):
        offsets = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise _wrong(item, element, f"{what}[{i}]", "a str")
            offsets.append(b.CreateString(item))
        b.StartVector(4, len(offsets), 4)
        for offset in reversed(offsets):
            b.PrependUOffsetTRelative(offset)
        return ("offset", b.EndVector())
    es = scalar_of(element)
    values = [_to_scalar(item, element, f"{what}[{i}]") for i, item in enumerate(items)]
    size = es.flags.bytewidth
    b.StartVector(size, len(values), size)
    prepend = getattr(b, "Prepend" + es.name)
    for item in reversed(values):
        prepend(item)
    return ("offset", b.EndVector())


def _table(b, slots):
    b.StartObject(len(slots))
    for i, slot in enumerate(slots):
        if slot is None:
            continue
        if slot[0] == "scalar":
            getattr(b, f"Prepend{slot[1].name}Slot")(i, slot[2], 0)
        else:
            b.PrependUOffsetTRelativeSlot(i, slot[1], 0)
    return b.EndObject()


def encode_table(fields, classes):
    """fields: [(type, value, what)] -> the bytes of a finished table with them in slots 0, 1, ...
    Raises TypeError / OverflowError / ValueError for a value that does not fit its type."""
    b = flatbuffers.Builder(256)
    b.ForceDefaults(True)  # a value equal to the default is sent too: an optional's 0 is not "absent"
    slots = [_prepare(b, value, type, what, classes) for type, value, what in fields]
    b.Finish(_table(b, slots))
    return bytes(b.Output())


# --- decoding ---

def _malformed(what):
    return ProtocolError(f"{what}: the reply is not the table the description names (a listener of another build?)")


def _read(table, slot, given, what, classes):
    type = wire_type(given)
    kind = kind_of(type)
    o = table.Offset(4 + 2 * slot)
    if kind in ("optional", "c_string"):
        if not o:
            return None
        if kind == "optional":
            return _read(table, slot, type["args"][0], what, classes)
    s = scalar_of(type)
    if s:
        if not o:
            return False if s.kind == "bool" else 0.0 if s.kind == "float" else 0
        value = table.Get(s.flags, table.Pos + o)
        return bool(value) if s.kind == "bool" else value
    fields = struct_fields(type, classes)
    if fields is not None:
        if not o:
            return None
        inner = Table(table.Bytes, table.Indirect(table.Pos + o))
        return {name: _read(inner, i, field_type, f"{what}.{name}", classes)
                for i, (name, field_type) in enumerate(fields)}
    if is_string(type) or kind == "c_string":
        return table.String(table.Pos + o).decode("utf-8") if o else ""
    element = type["args"][0]
    if not o:
        return []
    start, count = table.Vector(o), table.VectorLen(o)
    if is_string(element):
        return [table.String(start + 4 * i).decode("utf-8") for i in range(count)]
    es = scalar_of(element)
    if es is None:
        raise _malformed(what)
    width = es.flags.bytewidth
    items = [table.Get(es.flags, start + width * i) for i in range(count)]
    return [bool(v) for v in items] if es.kind == "bool" else items


def decode_field(data, slot, type, what, classes):
    """The value in slot `slot` of the table `data` holds, of type `type`."""
    if len(data) < 4:
        raise _malformed(what)
    try:
        buf = bytearray(data)
        root = Table(buf, struct.unpack_from("<I", buf)[0])
        return _read(root, slot, type, what, classes)
    except ProtocolError:
        raise
    except Exception:  # struct.error, IndexError, UnicodeError: offsets that point nowhere
        raise _malformed(what) from None
