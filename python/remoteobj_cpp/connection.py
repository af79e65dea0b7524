"""One connection to a listener at a named endpoint: the greeting, then frames
(a 4-byte little-endian size, then the FlatBuffer) both ways.

A listener made by Remote::listen_at greets with a Hello and hands over a pipe
pair with it (SCM_RIGHTS, as runtime/src/transport/socket_connection.cpp
reads it): requests then go down the first pipe and replies come up the
second, and the socket is done. A listener that greets without descriptors
goes on over the socket. Every wait is bounded by deadline.remaining().
This module never encodes a member's values.
"""

import array
import errno
import os
import select
import socket
import struct
import threading
import time

from . import envelope
from .deadline import remaining
from .errors import Error, NotListening, PeerLost, ProtocolError, Timeout

PROTOCOL_VERSION = 2
MAX_GREETING = 1 << 20
MAX_MESSAGE = 64 << 20


def parse_address(address):
    """"unix:/path" or "unix:@abstract" -> the socket address."""
    if not address.startswith("unix:") or len(address) == len("unix:"):
        raise ValueError(f"{address!r}: not an address this package reaches (use unix:/path or unix:@name; "
                         "grpc:// is not supported yet)")
    path = address[len("unix:"):]
    return "\0" + path[1:] if path.startswith("@") else path


class Connection:
    """Sends requests and reads their replies, one call at a time (a lock keeps threads apart)."""

    def __init__(self, address):
        self.address = address
        self._lock = threading.Lock()
        self._next_id = 1
        self._ended = None
        self._keep = []  # descriptors held only so that writing to a dead listener cannot raise SIGPIPE
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        try:
            timeout, _ = remaining()
            sock.settimeout(timeout)
            try:
                sock.connect(parse_address(address))
            except (FileNotFoundError, ConnectionRefusedError) as e:
                raise NotListening(f"nobody listens at {address} ({e.strerror}): start the server, or check "
                                   "the address") from None
            hello, fds = self._read_greeting(sock)
        except BaseException:
            sock.close()
            raise
        if hello.refused:
            sock.close()
            for fd in fds:
                os.close(fd)
            raise Error(f"the listener at {address} refused this connection: {hello.refused}")
        if hello.protocol != PROTOCOL_VERSION:
            sock.close()
            raise ProtocolError(f"the listener at {address} speaks protocol {hello.protocol}, this package "
                                f"{PROTOCOL_VERSION}")
        self.epoch = hello.epoch
        self.served_class = hello.class_name
        self.interface = hello.interface
        if len(fds) == 3:
            self._write_fd, self._read_fd = fds[0], fds[1]
            self._keep = [fds[2]]
            sock.close()
            self._sock = None
        elif not fds:
            sock.setblocking(False)
            self._sock = sock
            self._write_fd = self._read_fd = sock.fileno()
        else:
            for fd in fds:
                os.close(fd)
            sock.close()
            raise Error(f"the listener at {address} handed over {len(fds)} descriptors (shared-memory rings?): "
                        "this package reaches listeners over pipes or the socket only, not yet over rings")
        self._buffer = bytearray()

    def _read_greeting(self, sock):
        fds = []
        data = bytearray()
        want = 4
        while len(data) < want:
            try:
                chunk, ancillary, _, _ = sock.recvmsg(want - len(data), socket.CMSG_SPACE(8 * 4))
            except socket.timeout:
                raise Timeout(f"the listener at {self.address} did not greet this connection in time") from None
            for level, kind, payload in ancillary:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    got = array.array("i")
                    got.frombytes(payload[:len(payload) - len(payload) % got.itemsize])
                    fds.extend(got)
            if not chunk:
                for fd in fds:
                    os.close(fd)
                raise PeerLost(f"the listener at {self.address} closed the connection before greeting it")
            data += chunk
            if want == 4 and len(data) >= 4:
                size = struct.unpack_from("<I", data)[0]
                if size > MAX_GREETING:
                    raise ProtocolError(f"what listens at {self.address} announced a greeting of {size} bytes")
                want = 4 + size
        for fd in fds:
            os.set_inheritable(fd, False)
        hello = envelope.read_envelope(bytes(data[4:]))
        if hello.kind != envelope.HELLO:
            raise ProtocolError(f"what listens at {self.address} did not greet this connection as a remoteobj "
                                "listener does")
        return hello, fds

    def close(self):
        if self._ended is None:
            self._ended = "closed by this process"
        fds = [] if self._sock else [self._write_fd, self._read_fd]
        for fd in fds + self._keep:
            try:
                os.close(fd)
            except OSError:
                pass
        self._keep = []
        self._write_fd = self._read_fd = -1
        if self._sock:
            self._sock.close()
            self._sock = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: nothing left to tell
            pass

    # --- one call ---

    def call(self, what, interface, op, member, argc, args):
        """Sends one request and returns its Response (a Message). Raises PeerLost,
        NotListening, Timeout; the caller reads the Response's status."""
        with self._lock:
            if self._ended:
                raise PeerLost(f"{what}: the connection to {self.address} ended ({self._ended}); connect again")
            id = self._next_id
            self._next_id += 1
            frame = envelope.build_request(id, self.epoch, interface, op, member, argc, args)
            timeout, set_by_deadline = remaining()
            until = time.monotonic() + timeout
            try:
                self._write_all(frame, until, what)
                while True:
                    message = envelope.read_envelope(self._read_frame(until, what))
                    if message.kind == envelope.RESPONSE and message.id == id:
                        return message
                    if message.kind == envelope.CLOSED and message.epoch >= self.epoch:
                        self._ended = "the listener stopped"
                        raise NotListening(f"{what}: the listener at {self.address} stopped before serving "
                                           "this request")
                    # Anything else (an event, a stale reply) is not this call's.
            except Timeout:
                # The reply may still come: this connection cannot tell it from the next one's.
                self._ended = "a call on it timed out"
                if not set_by_deadline:
                    raise Timeout(f"{what}: no reply from {self.address} in {timeout:.0f} s") from None
                raise
            except ProtocolError:
                self._ended = "the listener sent what no remoteobj listener sends"
                raise

    def _wait(self, fd, writing, until, what):
        left = until - time.monotonic()
        if left <= 0:
            raise Timeout(f"{what}: no reply from {self.address} before the deadline")
        r, w, _ = select.select([] if writing else [fd], [fd] if writing else [], [], left)
        if not r and not w:
            raise Timeout(f"{what}: no reply from {self.address} before the deadline")

    def _lost(self, what, why):
        self._ended = why
        return PeerLost(f"{what}: the connection to {self.address} ended ({why}): its listener stopped, died "
                        "or dropped it")

    def _write_all(self, data, until, what):
        view = memoryview(data)
        while view:
            try:
                n = os.write(self._write_fd, view)
                view = view[n:]
            except BlockingIOError:
                self._wait(self._write_fd, True, until, what)
            except (BrokenPipeError, ConnectionResetError):
                raise self._lost(what, "the listener is gone") from None

    def _fill(self, want, until, what):
        while len(self._buffer) < want:
            self._wait(self._read_fd, False, until, what)
            try:
                chunk = os.read(self._read_fd, max(65536, want - len(self._buffer)))
            except BlockingIOError:
                continue
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                raise self._lost(what, "end of file mid-call")
            self._buffer += chunk

    def _read_frame(self, until, what):
        self._fill(4, until, what)
        size = struct.unpack_from("<I", self._buffer)[0]
        if size > MAX_MESSAGE:
            raise ProtocolError(f"{what}: the listener at {self.address} announced a message of {size} bytes "
                                f"(at most {MAX_MESSAGE})")
        self._fill(4 + size, until, what)
        frame = bytes(self._buffer[4:4 + size])
        del self._buffer[:4 + size]
        return frame
