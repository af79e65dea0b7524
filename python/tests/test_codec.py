"""The value codec alone: what it encodes reads back the same, by the description's type trees."""

import pytest

from remoteobj_cpp.codec import decode_field, encode_table

I32 = {"kind": "integer", "cpp": "int", "bits": 32, "signed": True}
U64 = {"kind": "integer", "cpp": "std::uint64_t", "bits": 64, "signed": False}
STR = {"kind": "string", "cpp": "std::string"}


def round_trip(type, value):
    return decode_field(encode_table([(type, value, "x")], []), 0, type, "x", [])


@pytest.mark.parametrize("type, value", [
    (I32, -7), (U64, 2 ** 64 - 1), (STR, "ünï"), ({"kind": "bool"}, True), ({"kind": "bool"}, False),
    ({"kind": "floating", "bits": 64}, 2.5), ({"kind": "floating", "bits": 32}, 0.5),
    ({"kind": "vector", "args": [I32]}, [1, -2, 3]), ({"kind": "vector", "args": [STR]}, ["a", "", "c"]),
    ({"kind": "vector", "args": [{"kind": "bool"}]}, [True, False]),
    ({"kind": "optional", "args": [I32]}, None), ({"kind": "optional", "args": [I32]}, 0),
    ({"kind": "optional", "args": [STR]}, "set"),
])
def test_a_value_reads_back_as_it_was_written(type, value):
    assert round_trip(type, value) == value


def test_a_tuple_crosses_as_a_list():
    assert round_trip({"kind": "vector", "args": [I32]}, (4, 5)) == [4, 5]


def test_unsigned_and_vector_elements_are_range_checked():
    with pytest.raises(OverflowError):
        round_trip(U64, -1)
    with pytest.raises(OverflowError, match=r"x\[1\]"):
        round_trip({"kind": "vector", "args": [I32]}, [1, 2 ** 40])


def test_a_kind_not_encoded_yet_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match="kind 'map'"):
        round_trip({"kind": "map", "cpp": "std::map<int, int>", "args": [I32, I32]}, {1: 2})
