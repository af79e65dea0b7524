"""`with deadline(seconds):` bounds every call the block makes on this thread.

Only the time limit lives here; the connection reads it when it waits.
"""

import contextlib
import threading
import time

_local = threading.local()

# Without a deadline a call still never waits forever: a listener that neither
# answers nor closes is taken as lost after this long.
DEFAULT_TIMEOUT = 60.0


@contextlib.contextmanager
def deadline(seconds):
    """Calls in the block raise remoteobj_cpp.Timeout once `seconds` have passed."""
    previous = getattr(_local, "until", None)
    until = time.monotonic() + seconds
    _local.until = until if previous is None else min(previous, until)
    try:
        yield
    finally:
        _local.until = previous


def remaining():
    """Seconds left for the current call, and whether a deadline (not the default) set them."""
    until = getattr(_local, "until", None)
    if until is None:
        return DEFAULT_TIMEOUT, False
    return max(0.0, until - time.monotonic()), True
