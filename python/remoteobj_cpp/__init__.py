"""remoteobj_cpp: call C++ objects served by remoteobj from Python, through the
description every served object sends (no generated Python, no header).

    import remoteobj_cpp as ro
    k = ro.connect("unix:/run/app/kiosk.sock")
    k.add(1, 2); k.stock.get_(); k.stock = 9

See docs/python.md for what it reaches and what it does not yet.
"""

from .deadline import deadline
from .errors import (Error, InterfaceMismatch, NotListening, PeerLost, ProtocolError, RemoteError, Timeout)
from .proxy import connect, get

__all__ = ["connect", "get", "deadline", "Error", "NotListening", "PeerLost", "Timeout", "InterfaceMismatch",
           "ProtocolError", "RemoteError"]
