"""A listener written in Python that greets as remoteobj's does and then answers
as a test tells it: a member that throws a chosen C++ type, no reply, garbage,
a lying description. Only for tests: it serves one connection, in a thread."""

import json
import os
import socket
import struct
import threading

import flatbuffers
from flatbuffers import number_types as N
from flatbuffers.table import Table

from remoteobj_cpp import envelope

DESCRIPTION = {
    "format": "remoteobj-description", "version": 2, "header": "fake.hpp",
    "classes": [{
        "name": "Fake", "qualified_name": "Fake", "class_id": "00000000000000ab", "by_value": False,
        "members": [
            {"kind": "method", "name": "fail", "id": 1, "signature": "int fail()", "params": [], "required": 0,
             "result": {"kind": "integer", "cpp": "int", "bits": 32, "signed": True}, "returns": "value"},
            {"kind": "field", "name": "count", "id": 2, "writable": True, "table": "Fake_count_Value",
             "type": {"kind": "integer", "cpp": "int", "bits": 32, "signed": True}},
        ],
    }],
}


HANG_UP = "hang up"  # an answer: the listener ends the connection instead of replying, as a dying one does


def hello(class_name="Fake", epoch=1, protocol=2):
    b = flatbuffers.Builder(128)
    name = b.CreateString(class_name)
    b.StartObject(7)
    b.PrependUint32Slot(0, protocol, 0)
    b.PrependUOffsetTRelativeSlot(2, name, 0)
    b.PrependUint32Slot(3, epoch, 0)
    return _finish(b, envelope.HELLO, b.EndObject())


def response(id, status=envelope.OK, value=b"", failure=None):
    """failure: (type, message, [trace])"""
    b = flatbuffers.Builder(256)
    value_offset = envelope.nested_bytes(b, value) if value else None
    failure_offset = None
    if failure:
        type, message, trace = failure
        t, m = b.CreateString(type), b.CreateString(message)
        frames = [b.CreateString(f) for f in trace]
        b.StartVector(4, len(frames), 4)
        for f in reversed(frames):
            b.PrependUOffsetTRelative(f)
        trace_offset = b.EndVector()
        b.StartObject(8)
        b.PrependUOffsetTRelativeSlot(0, t, 0)
        b.PrependUOffsetTRelativeSlot(1, m, 0)
        b.PrependUOffsetTRelativeSlot(2, trace_offset, 0)
        failure_offset = b.EndObject()
    b.StartObject(5)
    b.PrependUint64Slot(0, id, 0)
    b.PrependUint8Slot(1, status, 0)
    if value_offset is not None:
        b.PrependUOffsetTRelativeSlot(2, value_offset, 0)
    if failure_offset is not None:
        b.PrependUOffsetTRelativeSlot(3, failure_offset, 0)
    return _finish(b, envelope.RESPONSE, b.EndObject())


def closed(epoch=1):
    b = flatbuffers.Builder(64)
    b.StartObject(1)
    b.PrependUint32Slot(0, epoch, 0)
    return _finish(b, envelope.CLOSED, b.EndObject())


def _finish(b, kind, body):
    b.StartObject(2)
    b.PrependUint8Slot(0, kind, 0)
    b.PrependUOffsetTRelativeSlot(1, body, 0)
    b.FinishSizePrefixed(b.EndObject())
    return bytes(b.Output())


def read_request(frame):
    """(id, op, member) of an Envelope{Request} (without its size prefix)."""
    buf = bytearray(frame)
    root = Table(buf, struct.unpack_from("<I", buf)[0])
    body = Table(buf, root.Indirect(root.Pos + root.Offset(6)))

    def scalar(slot, flags):
        o = body.Offset(4 + 2 * slot)
        return body.Get(flags, body.Pos + o) if o else 0
    return scalar(0, N.Uint64Flags), scalar(4, N.Uint8Flags), scalar(5, N.Uint32Flags)


class FakeListener:
    """answer(id, op, member) -> bytes to write (a frame, garbage) or None (no reply)."""

    def __init__(self, directory, answer, description=None):
        self.address = f"unix:{directory}/fake.sock"
        self.answer = answer
        self.description = json.dumps(DESCRIPTION) if description is None else description
        self.conn = None
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(f"{directory}/fake.sock")
        self.sock.listen(1)
        self.sock.settimeout(20)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        self.conn = conn
        with conn:
            conn.settimeout(20)
            conn.sendall(hello())
            data = b""
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                data += chunk
                while len(data) >= 4 and len(data) >= 4 + struct.unpack_from("<I", data)[0]:
                    size = struct.unpack_from("<I", data)[0]
                    frame, data = data[4:4 + size], data[4 + size:]
                    id, op, member = read_request(frame)
                    if op == envelope.DESCRIBE:
                        out = response(id, value=self.description.encode())
                    else:
                        out = self.answer(id, op, member)
                    if out == HANG_UP:
                        return
                    if out:
                        conn.sendall(out)

    def close(self):
        """Ends the connection too: a caller still holding its proxy sees end of file."""
        self.sock.close()
        if self.conn is not None:
            try:
                self.conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.thread.join(timeout=20)


def int_value(v):
    """The bytes of a value table {value: int32}."""
    b = flatbuffers.Builder(64)
    b.ForceDefaults(True)
    b.StartObject(1)
    b.PrependInt32Slot(0, v, 0)
    b.Finish(b.EndObject())
    return bytes(b.Output())
