"""How replies become Python errors, against a fake listener that answers as each test says."""

import pytest

import remoteobj_cpp as ro
from fake_listener import HANG_UP, FakeListener, closed, int_value, response
from remoteobj_cpp import envelope


@pytest.fixture
def listen(tmp_path):
    made = []

    def start(answer, description=None):
        made.append(FakeListener(tmp_path, answer, description))
        return made[-1]
    yield start
    for listener in made:
        listener.close()


def raising(type, message, trace=("frame one", "frame two")):
    return lambda id, op, member: response(id, envelope.RAISED, failure=(type, message, list(trace)))


@pytest.mark.parametrize("thrown, expected", [
    ("std::invalid_argument", ValueError),
    ("std::domain_error", ValueError),
    ("std::out_of_range", IndexError),
])
def test_standard_exceptions_arrive_as_their_python_counterparts(listen, thrown, expected):
    fake = listen(raising(thrown, "no such thing"))
    with ro.deadline(20):
        with pytest.raises(expected, match="no such thing(.|\n)*frame one"):
            ro.connect(fake.address).fail()


def test_any_other_exception_is_a_remote_error_with_type_message_and_trace(listen):
    fake = listen(raising("app::Jammed", "the till is jammed"))
    with ro.deadline(20):
        with pytest.raises(ro.RemoteError) as caught:
            ro.connect(fake.address).fail()
    assert caught.value.type == "app::Jammed"
    assert caught.value.message == "the till is jammed"
    assert caught.value.trace == ["frame one", "frame two"]
    assert "frame two" in str(caught.value)


def test_a_reply_decodes_by_the_description(listen):
    fake = listen(lambda id, op, member: response(id, value=int_value(-5)))
    with ro.deadline(20):
        k = ro.connect(fake.address)
        assert k.fail() == -5
        assert k.count.get_() == -5


def test_no_reply_before_the_deadline_is_timeout(listen):
    fake = listen(lambda id, op, member: None)
    with ro.deadline(20):
        k = ro.connect(fake.address)
    with ro.deadline(0.2):
        with pytest.raises(ro.Timeout):
            k.fail()


def test_a_closed_listener_is_not_listening_and_get_with_default_gives_the_default(listen):
    fake = listen(lambda id, op, member: closed(1))
    with ro.deadline(20):
        k = ro.connect(fake.address)
        with pytest.raises(ro.NotListening):
            k.fail()
        assert k.count.get_(default=9) == 9


def test_a_not_listening_status_is_not_listening(listen):
    fake = listen(lambda id, op, member: response(id, envelope.NOT_LISTENING, failure=("remoteobj::NotListening",
                                                                                        "stopped", [])))
    with ro.deadline(20):
        with pytest.raises(ro.NotListening, match="stopped"):
            ro.connect(fake.address).fail()


def test_an_interface_mismatch_status_is_interface_mismatch(listen):
    fake = listen(lambda id, op, member: response(id, envelope.INTERFACE_MISMATCH,
                                                  failure=("remoteobj::InterfaceMismatch", "other header", [])))
    with ro.deadline(20):
        with pytest.raises(ro.InterfaceMismatch, match="other header"):
            ro.connect(fake.address).fail()


def test_garbage_for_a_reply_is_a_protocol_error(listen):
    fake = listen(lambda id, op, member: b"\x08\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff")
    with ro.deadline(20):
        with pytest.raises(ro.ProtocolError):
            ro.connect(fake.address).fail()


def test_a_reply_too_short_for_its_table_is_a_protocol_error(listen):
    fake = listen(lambda id, op, member: response(id, value=b"\x40\x00\x00\x00"))
    with ro.deadline(20):
        with pytest.raises(ro.ProtocolError, match="not the table the description names"):
            ro.connect(fake.address).fail()


@pytest.mark.parametrize("lie", ["not json", '{"format": "something else"}', '{"format": "remoteobj-description", '
                                 '"version": 2, "classes": [{"qualified_name": "Other"}]}'])
def test_a_lying_description_is_refused(listen, lie):
    fake = listen(lambda id, op, member: None, description=lie)
    with ro.deadline(20):
        with pytest.raises(ro.ProtocolError):
            ro.connect(fake.address)


def test_a_listener_gone_mid_call_is_peer_lost_and_the_proxy_stays_lost(listen):
    fake = listen(lambda id, op, member: HANG_UP)
    with ro.deadline(20):
        k = ro.connect(fake.address)
        with pytest.raises(ro.PeerLost, match="end of file mid-call"):
            k.fail()
        with pytest.raises(ro.PeerLost):
            k.count.get_()
        assert k.count.get_(default=3) == 3
