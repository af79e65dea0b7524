"""The envelope of schemas/remoteobj.fbs, built and read by hand with the
flatbuffers Builder/Table API (no flatc output): only the tables a caller
sends (Request) and reads (Hello, Response, Failure, Closed).

Slot numbers are the fields' positions in remoteobj.fbs; keep them in step
with it. Nothing here knows a member's values (codec.py does).
"""

import flatbuffers
from flatbuffers import number_types as N
from flatbuffers.table import Table

from .errors import ProtocolError

# Operation
GET, SET, CALL, DESCRIBE = 0, 1, 2, 16
# Status
OK, RAISED, NOT_LISTENING, BAD_REQUEST, INTERFACE_MISMATCH = 0, 1, 2, 3, 4
# Message union: NONE = 0, then in declaration order
REQUEST, RESPONSE, CLOSED, CAUGHT, YIELDED, HELLO, EVENT = 1, 2, 3, 4, 5, 6, 7


def nested_bytes(builder, data):
    """A [ubyte] (force_align: 8) vector holding `data` (a nested FlatBuffer)."""
    builder.StartVector(1, len(data), 8)
    builder.head -= len(data)
    builder.Bytes[builder.head:builder.head + len(data)] = data
    return builder.EndVector()


def build_request(id, epoch, interface, op, member, argc, args):
    """A finished, size-prefixed Envelope{Request}: the frame to write."""
    b = flatbuffers.Builder(256 + len(args))
    args_offset = nested_bytes(b, args) if args else None
    b.StartObject(13)
    b.PrependUint64Slot(0, id, 0)
    b.PrependUint32Slot(1, epoch, 0)
    b.PrependUint64Slot(2, interface, 0)
    b.PrependUint8Slot(4, op, 0)
    b.PrependUint32Slot(5, member, 0)
    b.PrependUint8Slot(6, argc, 0)
    if args_offset is not None:
        b.PrependUOffsetTRelativeSlot(7, args_offset, 0)
    request = b.EndObject()
    b.StartObject(2)
    b.PrependUint8Slot(0, REQUEST, 0)
    b.PrependUOffsetTRelativeSlot(1, request, 0)
    b.FinishSizePrefixed(b.EndObject())
    return bytes(b.Output())


def _slot(table, slot):
    return table.Offset(4 + 2 * slot)


def _scalar(table, slot, flags, default=0):
    o = _slot(table, slot)
    return table.Get(flags, table.Pos + o) if o else default


def _string(table, slot):
    o = _slot(table, slot)
    return table.String(table.Pos + o).decode("utf-8", "replace") if o else None


def _bytes(table, slot):
    o = _slot(table, slot)
    if not o:
        return b""
    start = table.Vector(o)
    return bytes(table.Bytes[start:start + table.VectorLen(o)])


def _strings(table, slot):
    o = _slot(table, slot)
    if not o:
        return []
    start = table.Vector(o)
    return [table.String(start + 4 * i).decode("utf-8", "replace") for i in range(table.VectorLen(o))]


def _table(table, slot):
    o = _slot(table, slot)
    if not o:
        return None
    return Table(table.Bytes, table.Indirect(table.Pos + o))


class Message:
    """One envelope read: `kind` (REQUEST ... EVENT) and its fields as attributes."""

    def __init__(self, kind, **fields):
        self.kind = kind
        self.__dict__.update(fields)


def read_envelope(frame):
    """Reads a frame's FlatBuffer (without its size prefix). Raises
    ProtocolError for bytes that are not an envelope this module reads."""
    try:
        buf = bytearray(frame)
        root = Table(buf, N.UOffsetTFlags.py_type(flatbuffers.encode.Get(N.UOffsetTFlags.packer_type, buf, 0)))
        kind = _scalar(root, 0, N.Uint8Flags)
        body = _table(root, 1)
        if body is None:
            raise ProtocolError("an envelope with no message")
        if kind == HELLO:
            return Message(kind, protocol=_scalar(body, 0, N.Uint32Flags),
                           interface=_scalar(body, 1, N.Uint64Flags),
                           class_name=_string(body, 2) or "", epoch=_scalar(body, 3, N.Uint32Flags),
                           refused=_string(body, 4) or "", busy=bool(_scalar(body, 5, N.BoolFlags)))
        if kind == RESPONSE:
            failure = _table(body, 3)
            return Message(kind, id=_scalar(body, 0, N.Uint64Flags), status=_scalar(body, 1, N.Uint8Flags),
                           value=_bytes(body, 2), more=bool(_scalar(body, 4, N.BoolFlags)),
                           failure=None if failure is None else Message(
                               0, type=_string(failure, 0) or "", message=_string(failure, 1) or "",
                               trace=_strings(failure, 2)))
        if kind == CLOSED:
            return Message(kind, epoch=_scalar(body, 0, N.Uint32Flags))
        return Message(kind)
    except ProtocolError:
        raise
    except Exception as e:  # struct.error, IndexError, UnicodeError: bytes that lie about their layout
        raise ProtocolError(f"a frame that is not a remoteobj envelope ({type(e).__name__}: {e})") from None
