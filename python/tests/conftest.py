"""Fixtures: a real C++ server (REMOTEOBJ_EVOLVE_SERVER, the path CTest passes),
started per test and waited for by its "listening" line, never by sleeping;
killed in teardown whatever the test did."""

import os
import select
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))  # the checkout's package, unless PYTHONPATH says


class Server:
    def __init__(self, executable, address):
        self.address = address
        self.process = subprocess.Popen([executable, address], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        ready, _, _ = select.select([self.process.stdout], [], [], 30)
        line = self.process.stdout.readline() if ready else b""
        if not line.startswith(b"listening"):
            self.kill()
            raise RuntimeError(f"{executable} did not print 'listening' within 30 s (got {line!r})")

    def stop(self):
        """Closes its stdin (it stops serving and exits), and waits for it."""
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        self.process.wait(timeout=10)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream and not stream.closed:
                stream.close()


@pytest.fixture
def server_path():
    path = os.environ.get("REMOTEOBJ_EVOLVE_SERVER")
    if not path:
        pytest.fail("REMOTEOBJ_EVOLVE_SERVER is not set: the path of evolve_server_v2 (CTest sets it)")
    return path


@pytest.fixture
def server(server_path):
    with tempfile.TemporaryDirectory(prefix="remoteobj-py-") as directory:
        s = Server(server_path, f"unix:{directory}/evolving.sock")
        try:
            yield s
        finally:
            s.kill()
