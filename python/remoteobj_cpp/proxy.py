"""The proxies a user holds: the served object, its fields and its methods.

Each reads its member from the description and sends through the session's
Connection; values go through codec.py. A value that cannot be encoded is
refused (TypeError, OverflowError) before anything is sent.
"""

import json

from . import envelope
from .codec import check_supported, decode_field, encode_table, spelling
from .connection import Connection
from .errors import (InterfaceMismatch, NotListening, PeerLost, ProtocolError, from_failure)

KNOWN_VERSION = 2  # of the description format (docs/description.md)
_MISSING = object()


class Session:
    """One connection with the served object's description."""

    def __init__(self, address):
        self.connection = Connection(address)
        try:
            self.class_name = self.connection.served_class
            reply = self.connection.call("describe", 0, envelope.DESCRIBE, 0, 0, b"")
            if reply.status != envelope.OK:
                raise ProtocolError(f"{address}: the listener did not answer Describe (status {reply.status})")
            try:
                self.description = json.loads(reply.value.decode("utf-8"))
            except (UnicodeError, ValueError):
                raise ProtocolError(f"{address}: the listener's description is not JSON") from None
            d = self.description
            if not isinstance(d, dict) or d.get("format") != "remoteobj-description":
                raise ProtocolError(f"{address}: the listener sent no description")
            if not isinstance(d.get("version"), int) or d["version"] > KNOWN_VERSION:
                raise ProtocolError(f"{address}: the description is of version {d.get('version')}, this package "
                                    f"reads up to {KNOWN_VERSION}: use a newer remoteobj_cpp")
            self.classes = d.get("classes")
            if not isinstance(self.classes, list):
                raise ProtocolError(f"{address}: the description lists no classes")
            served = [c for c in self.classes if isinstance(c, dict) and c.get("qualified_name") == self.class_name]
            if not served:
                raise ProtocolError(f"{address}: the description does not describe the served class "
                                    f"{self.class_name}")
            self.served = served[0]
            self.class_id = int(self.served.get("class_id", "0"), 16)
            self.members = [m for m in self.served.get("members", []) if isinstance(m, dict)]
        except BaseException:
            self.connection.close()
            raise

    def named(self, name):
        return [m for m in self.members if m.get("name") == name]

    def request(self, what, op, member, argc, args):
        """Sends and returns the reply's value bytes, or raises what the reply says."""
        reply = self.connection.call(what, self.class_id, op, member["id"], argc, args)
        if reply.status == envelope.OK:
            return reply.value
        failure = reply.failure
        message = failure.message if failure else ""
        if reply.status == envelope.RAISED and failure is not None:
            raise from_failure(failure.type, failure.message, failure.trace)
        if reply.status == envelope.NOT_LISTENING:
            raise NotListening(f"{what}: {message}")
        if reply.status == envelope.INTERFACE_MISMATCH:
            raise InterfaceMismatch(f"{what}: {message}")
        raise ProtocolError(f"{what}: the listener refused the request: {message}")


class ObjectProxy:
    """The served object: attributes are its members (fields, methods)."""

    def __init__(self, session):
        object.__setattr__(self, "_session", session)

    def _member(self, name):
        session = self._session
        found = session.named(name)
        if not found:
            names = sorted({m.get("name", "") for m in session.members})
            raise AttributeError(f"{session.class_name} has no member {name!r} (its members: {', '.join(names)})")
        return found

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        found = self._member(name)
        kind = found[0].get("kind")
        if kind == "field":
            return FieldProxy(self._session, found[0])
        if kind == "method":
            return MethodProxy(self._session, found)
        return UnsupportedMember(self._session, found[0])

    def __setattr__(self, name, value):
        found = self._member(name)
        if found[0].get("kind") != "field":
            raise AttributeError(f"{self._session.class_name}::{name} is a {found[0].get('kind')}, not a field: "
                                 "it cannot be assigned")
        FieldProxy(self._session, found[0]).set_(value)

    def __dir__(self):
        return sorted({m.get("name", "") for m in self._session.members})

    def __repr__(self):
        s = self._session
        return f"<remoteobj_cpp proxy of {s.class_name} at {s.connection.address}>"

    def close_(self):
        """Closes the connection; later calls raise PeerLost."""
        self._session.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close_()


class FieldProxy:
    """A field of the served object: get_(), `.__`, set_(value)."""

    def __init__(self, session, member):
        self._session = session
        self._member = member
        self._what = f"{session.class_name}::{member.get('name', '')}"

    def get_(self, default=_MISSING):
        """The field's value; with `default`, that instead when nobody answers (NotListening, PeerLost)."""
        try:
            if "table" not in self._member:
                raise TypeError(f"{self._what} is a nested object: its members are not reached by remoteobj_cpp yet")
            type = self._member["type"]
            check_supported(type, self._what, self._session.classes)
            value = self._session.request(self._what, envelope.GET, self._member, 0, b"")
            return decode_field(value, 0, type, self._what, self._session.classes)
        except (NotListening, PeerLost):
            if default is _MISSING:
                raise
            return default

    @property
    def __(self):
        return self.get_()

    def set_(self, value):
        if not self._member.get("writable", False):
            raise AttributeError(f"{self._what} cannot be set (it is const, or an object)")
        args = encode_table([(self._member["type"], value, self._what)], self._session.classes)
        self._session.request(self._what, envelope.SET, self._member, 1, args)

    def __repr__(self):
        return f"<field {spelling(self._member.get('type', {}))} {self._what}>"


class MethodProxy:
    """A method (or its overloads) of the served object; call it."""

    def __init__(self, session, overloads):
        self._session = session
        self._overloads = overloads
        self._what = f"{session.class_name}::{overloads[0].get('name', '')}"
        self.__doc__ = "\n".join(filter(None, (m.get("signature", "") + ("\n    " + m["doc"] if m.get("doc") else "")
                                               for m in overloads)))

    def _choose(self, argc, kwargs):
        fits = [m for m in self._overloads
                if len(m.get("params", [])) >= argc + len(kwargs)
                and all(k in [p.get("name") for p in m.get("params", [])] for k in kwargs)]
        if len(fits) == 1:
            return fits[0]
        signatures = "; ".join(m.get("signature", "") for m in self._overloads)
        if not fits:
            return self._overloads[0] if len(self._overloads) == 1 else _raise(TypeError(
                f"{self._what}: no overload takes these arguments ({signatures})"))
        raise TypeError(f"{self._what} has {len(self._overloads)} overloads and {len(fits)} take these arguments: "
                        f"remoteobj_cpp cannot choose between overloads by type yet ({signatures})")

    def __call__(self, *args, **kwargs):
        method = self._choose(len(args), kwargs)
        signature = method.get("signature", "")
        params = method.get("params", [])
        if method.get("returns", "value") != "value":
            raise TypeError(f"{self._what}: a method that returns a {method.get('returns')} ({signature}) is not "
                            "called by remoteobj_cpp yet")
        if len(args) > len(params):
            raise TypeError(f"{self._what} takes at most {len(params)} arguments ({signature}), {len(args)} given")
        values = list(args)
        names = [p.get("name", "") for p in params]
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError(f"{self._what} has no parameter {key!r} ({signature})")
            at = names.index(key)
            if at < len(args):
                raise TypeError(f"{self._what} got parameter {key!r} twice ({signature})")
            values.extend([_MISSING] * (at + 1 - len(values)))
            values[at] = value
        required = method.get("required", len(params))
        for i, value in enumerate(values):
            if value is _MISSING:
                raise TypeError(f"{self._what}: parameter {names[i]!r} is not given, and a later one is: the "
                                f"wire passes arguments by position, so give it too ({signature})")
        if len(values) < required:
            missing = ", ".join(repr(n) for n in names[len(values):required])
            raise TypeError(f"{self._what} is missing required argument(s) {missing} ({signature})")
        for p in params[:len(values)]:
            if p.get("passing", "value").startswith("in_out"):
                raise TypeError(f"{self._what}: in-out parameter {p.get('name')!r} is not passed by remoteobj_cpp "
                                "yet")
        classes = self._session.classes
        result = method.get("result", {"kind": "void"})
        has_result = result.get("kind") != "void"
        if has_result:
            check_supported(result, f"{self._what}: its result", classes)
        fields = [(p["type"], v, f"{self._what}: parameter {p.get('name', '')!r} ({i + 1})")
                  for i, (p, v) in enumerate(zip(params, values))]
        args_bytes = encode_table(fields, classes)
        value = self._session.request(self._what, envelope.CALL, method, len(values), args_bytes)
        return decode_field(value, 0, result, self._what, classes) if has_result else None

    def __repr__(self):
        return f"<method {' | '.join(m.get('signature', '') for m in self._overloads)}>"


class UnsupportedMember:
    """A member of a kind this package does not reach yet (a signal, a subscript): it says so when used."""

    def __init__(self, session, member):
        self._what = f"{session.class_name}::{member.get('name', '')}"
        self._kind = member.get("kind", "?")

    def _refuse(self, *args, **kwargs):
        raise NotImplementedError(f"{self._what} is a {self._kind}: remoteobj_cpp does not reach {self._kind}s yet")

    __call__ = get_ = subscribe = _refuse

    def __repr__(self):
        return f"<{self._kind} {self._what} (not reached by remoteobj_cpp yet)>"


def _raise(error):
    raise error


def get(proxy, default=_MISSING):
    """remoteobj_cpp.get(k.stock): the value of a field proxy (as k.stock.get_())."""
    return proxy.get_() if default is _MISSING else proxy.get_(default=default)


def connect(address):
    """A proxy of the object served at `address` ("unix:/path" or "unix:@name")."""
    return ObjectProxy(Session(address))
