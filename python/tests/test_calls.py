"""Calls from Python to a C++ Evolving (tests/evolve/v2/evolving.hpp) served by evolve_server_v2."""

import os

import pytest

import remoteobj_cpp as ro
from conftest import Server


@pytest.fixture
def k(server):
    with ro.deadline(20):
        proxy = ro.connect(server.address)
    yield proxy
    proxy.close_()


def test_dir_lists_the_members_the_description_names(k):
    assert dir(k) == ["add", "describe", "grown", "motto", "name", "next_mode", "reset", "scale", "settings", "total"]


def test_repr_names_the_class_and_the_address(k, server):
    assert repr(k) == f"<remoteobj_cpp proxy of Evolving at {server.address}>"
    assert repr(k.total) == "<field int Evolving::total>"
    assert repr(k.add) == "<method int add(int amount, int times = 1)>"
    assert "Adds `amount` `times` times" in k.add.__doc__


def test_a_method_takes_positional_keyword_and_defaulted_arguments(k):
    assert k.add(2) == 2                # times takes its default there
    assert k.add(3, 2) == 8
    assert k.add(1, times=3) == 11
    assert k.add(amount=1) == 12
    assert k.reset() == 12


def test_a_missing_required_argument_is_a_type_error_before_sending(k):
    k.add(5)
    with pytest.raises(TypeError, match="missing required argument.*'amount'"):
        k.add()
    with pytest.raises(TypeError, match="'amount'"):
        k.add(times=2)
    with pytest.raises(TypeError, match="no parameter 'tims'"):
        k.add(1, tims=2)
    with pytest.raises(TypeError, match="at most 2"):
        k.add(1, 2, 3)
    assert k.total.get_() == 5


def test_a_field_reads_as_get_as_dunder_and_through_get(k):
    k.add(7)
    assert k.total.get_() == 7
    assert k.total.__ == 7
    assert ro.get(k.total) == 7
    assert k.motto.get_() == "new"


def test_assigning_a_field_sets_it_there(k):
    k.total = 41
    assert k.add(1) == 42
    k.name = "naïve ☃"
    assert k.name.get_() == "naïve ☃"


def test_integers_are_range_checked_never_wrapped_and_nothing_is_sent(k):
    with pytest.raises(OverflowError, match="amount.*2147483648 is out of range for int"):
        k.add(2 ** 31)
    with pytest.raises(OverflowError):
        k.total = -2 ** 31 - 1
    with pytest.raises(OverflowError):
        k.scale(2 ** 63)
    assert k.total.get_() == 0
    assert k.add(2 ** 31 - 1) == 2 ** 31 - 1


def test_a_wrong_type_is_a_type_error_naming_the_parameter(k):
    with pytest.raises(TypeError, match=r"Evolving::add: parameter 'amount'.*'x' is not an integer"):
        k.add("x")
    with pytest.raises(TypeError, match="not an integer"):
        k.add(1.5)
    with pytest.raises(TypeError, match="Evolving::motto.*not a str"):
        k.motto = 3
    with pytest.raises(TypeError, match=r"Settings has no field 'colour'"):
        k.describe({"colour": 1})


def test_a_struct_crosses_as_a_dict_both_ways(k):
    assert k.settings() == {"width": 1, "label": "v2", "bold": True}
    assert k.describe({"width": 5, "label": "x", "bold": False}) == "5 x"
    assert k.describe(s={"width": 7}) == "7 v2 bold"  # fields left out keep the struct's defaults


def test_an_enum_crosses_as_its_value(k):
    assert k.next_mode(0) == 1
    assert k.next_mode(2) == 2
    with pytest.raises(ValueError, match="not an enumerator"):
        k.next_mode(7)


def test_an_unknown_member_is_an_attribute_error(k):
    with pytest.raises(AttributeError, match="Evolving has no member 'nope'"):
        k.nope
    with pytest.raises(AttributeError):
        k.nope = 1
    with pytest.raises(AttributeError, match="not a field"):
        k.add = 1


def test_a_signal_says_it_is_not_reached_yet(k):
    with pytest.raises(NotImplementedError, match="grown is a signal"):
        k.grown.subscribe(print)


def test_a_server_gone_is_peer_lost_and_get_with_default_gives_the_default(k, server):
    k.add(3)
    server.stop()
    with pytest.raises(ro.PeerLost):
        k.total.get_()
    assert k.total.get_(default=-1) == -1


def test_nobody_listening_is_not_listening(tmp_path):
    with pytest.raises(ro.NotListening, match="nobody listens"):
        ro.connect(f"unix:{tmp_path}/nobody.sock")


def test_an_abstract_address_is_reached(server_path):
    address = f"unix:@remoteobj-py-test-{os.getpid()}"
    s = Server(server_path, address)
    try:
        assert ro.connect(address).add(4) == 4
    finally:
        s.kill()


def test_grpc_addresses_are_refused_clearly():
    with pytest.raises(ValueError, match="grpc:// is not supported yet"):
        ro.connect("grpc://127.0.0.1:1")
