"""The exceptions a caller can handle, as DESIGN.md section 6 maps them.

Everything remoteobj itself raises derives from Error; what a member threw
arrives as the nearest Python built-in (ValueError, IndexError) or RemoteError.
Never raise a bare Exception here: a caller catches by these types.
"""


class Error(Exception):
    """Base of every error remoteobj_cpp raises itself."""


class NotListening(Error):
    """Nobody listens at the address, or the listener stopped before serving."""


class PeerLost(Error):
    """The connection ended (the listener died, stopped or dropped it)."""


class Timeout(Error):
    """No reply came before the deadline (remoteobj_cpp.deadline)."""


class InterfaceMismatch(Error):
    """Caller and listener disagree about a member's signature."""


class ProtocolError(Error):
    """The peer sent something no remoteobj listener sends."""


class RemoteError(Error):
    """The member threw something with no Python counterpart.

    .type is the demangled C++ type, .message its what(), .trace the
    thrower's frames (innermost first)."""

    def __init__(self, type, message, trace=()):
        self.type = type
        self.message = message
        self.trace = list(trace)
        text = f"{type}: {message}"
        if self.trace:
            text += "\nremote trace:\n" + "\n".join("  " + frame for frame in self.trace)
        super().__init__(text)


def from_failure(type, message, trace):
    """The exception to raise for a member's Failure (a Response with status Raised)."""
    text = message
    if trace:
        text += "\nremote trace:\n" + "\n".join("  " + frame for frame in trace)
    if type in ("std::invalid_argument", "std::domain_error"):
        return ValueError(text)
    if type == "std::out_of_range":
        return IndexError(text)
    return RemoteError(type, message, trace)
