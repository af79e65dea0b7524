"""The description remoteobj-gen writes beside the generated code (widget.remote.json)
says what the generated code does: run by CTest after the runtime tests' generation.

    python3 check_widget_description.py <widget.remote.json> <widget.remote.hpp>
"""
import json
import re
import sys


def fail(message):
    print(f"check_widget_description: {message}", file=sys.stderr)
    sys.exit(1)


def fnv1a_32(text):
    """A member's id: FNV-1a (32 bits) of its wire signature (generator/model/wire_identity.hpp)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def fnv1a_64(text):
    value = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def main(description_path, proxy_header_path):
    with open(description_path, encoding="utf-8") as f:
        description = json.load(f)
    if description.get("format") != "remoteobj-description" or description.get("version") != 2:
        fail(f"not a version 2 description: {description.get('format')!r} {description.get('version')!r}")
    if description["header"] != "widget.hpp":
        fail(f"header named {description['header']!r}, not as the generated code includes it")
    classes = {c["name"]: c for c in description["classes"]}
    widget = classes.get("Widget") or fail("no class Widget")

    # Every member's id is the one the generated code sends: the wire's word.
    with open(proxy_header_path, encoding="utf-8") as f:
        proxy = f.read()
    wire_ids = {}
    for match in re.finditer(r"struct Widget_(\w+)\b[^{]*\{[^}]*?static constexpr std::uint32_t id = (\d+);", proxy):
        wire_ids[match.group(1)] = int(match.group(2))
    ids = [m["id"] for m in widget["members"]]
    if len(ids) != len(set(ids)):
        fail(f"member ids repeat: {sorted(ids)}")
    checked = 0
    for member in widget["members"]:
        if member["name"] in wire_ids and member["kind"] in ("field", "method"):
            if wire_ids[member["name"]] != member["id"]:
                fail(f"{member['name']}: id {member['id']} in the description, {wire_ids[member['name']]} on the wire")
            checked += 1
    if checked < 10:
        fail(f"only {checked} members' ids could be compared with the generated header")

    # Ids are names, not positions: each is the hash of the member's wire signature,
    # and the class is named by its qualified name.
    for member in widget["members"]:
        if member["id"] != fnv1a_32(member["wire_signature"]):
            fail(f"{member['name']}: id {member['id']} is not the hash of {member['wire_signature']!r}")
    if widget["class_id"] != f"{fnv1a_64('class Widget'):016x}":
        fail(f"class_id {widget['class_id']} is not the hash of 'class Widget'")

    by_name = {}
    for member in widget["members"]:
        by_name.setdefault(member["name"], []).append(member)
    add = by_name["add"][0]
    expected = {
        "kind": "method",
        "signature": "int add(int a, int b = 10) const",
        "wire_signature": "method add(int32) -> int32",  # b has a default: not part of the id
        "required": 1,
        "args_table": "Widget_add_Args",
        "result_table": "Widget_add_Result",
    }
    for key, value in expected.items():
        if add.get(key) != value:
            fail(f"add: {key} is {add.get(key)!r}, not {value!r}")
    if [(p["name"], p["type"]["kind"], p["type"]["bits"], p["type"]["wire"], p["default"]) for p in add["params"]] != [
        ("a", "integer", 32, "int32", None),
        ("b", "integer", 32, "int32", "10"),
    ]:
        fail(f"add's parameters: {add['params']}")
    if not add["declared"].startswith("widget.hpp:"):
        fail(f"add declared at {add['declared']!r}")
    number = by_name["number"][0]
    if (number["kind"], number["type"]["kind"], number["writable"], number["table"]) != (
        "field", "integer", True, "Widget_number_Value"):
        fail(f"number: {number}")
    print(f"checked {len(widget['members'])} members of Widget, {checked} ids against the generated header")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        fail("usage: check_widget_description.py <widget.remote.json> <widget.remote.hpp>")
    main(sys.argv[1], sys.argv[2])
