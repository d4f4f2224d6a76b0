"""Reading a CSL bibliography: CSL-JSON or CSL-YAML text -> items, each with the line it
starts on (for located messages); a site's own ``{key: entry}`` data read as CSL items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from mdpaper.bibliography import keyed
from mdpaper.errors import MdpaperError


def parse_json(text: str, path: Path) -> list[tuple[Any, int | None]]:
    """CSL-JSON text -> (item, line) pairs (a site's keyed data: no lines)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise MdpaperError(f"invalid JSON: {e.msg}", path, e.lineno) from None
    inner, _ = keyed.unwrap(data)
    if keyed.is_keyed(inner):  # a site's own {key: entry} data; json keeps no lines
        return [(keyed.to_csl(str(k), v), None) for k, v in inner.items()]
    if not isinstance(data, list):
        line = text[: len(text) - len(text.lstrip())].count("\n") + 1
        raise MdpaperError(
            f"a CSL-JSON bibliography must be a list of entries, not {_json_type(data)}",
            path,
            line,
        )
    lines: list[int | None] = list(_element_lines(text))
    # The scan only feeds messages: should it ever miscount, report no line rather than crash.
    if len(lines) != len(data):
        lines = [None] * len(data)
    return list(zip(data, lines, strict=True))


_JSON_TYPES: dict[type, str] = {dict: "an object", str: "a string"}


def _json_type(data: Any) -> str:
    return _JSON_TYPES.get(type(data), type(data).__name__)


def _element_lines(text: str) -> list[int]:
    """1-based line where each element of the top-level JSON array starts.

    json keeps no positions, so scan the (already validated) text: track strings and
    nesting, and note where a value starts at depth 1.
    """
    lines: list[int] = []
    depth, line = 0, 1
    in_string = escaped = in_element = False
    for ch in text:
        if ch == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if depth == 1 and not in_element and ch not in " \t\r\n,]":
            lines.append(line)
            in_element = True
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 1:
            in_element = False
    return lines


def parse_yaml(text: str, path: Path) -> list[tuple[Any, int | None]]:
    """CSL-YAML text (a list, pandoc's ``references:``, or keyed data) -> (item, line) pairs."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        line = mark.line + 1 if mark else None
        raise MdpaperError(f"invalid YAML: {problem}", path, line) from None
    finally:
        loader.dispose()
    if isinstance(data, dict) and "references" in data and node is not None:  # pandoc's form
        node = next(v for k, v in node.value if k.value == "references")
        data = data["references"]
    inner, wrapper = keyed.unwrap(data)
    if keyed.is_keyed(inner) and node is not None:  # a site's own {key: entry} data
        if wrapper is not None:
            node = node.value[0][1]
        return [(keyed.to_csl(str(k), v), kn.start_mark.line + 1)
                for (k, v), (kn, _) in zip(inner.items(), node.value, strict=True)]  # fmt: skip
    if not isinstance(data, list):
        line = node.start_mark.line + 1 if node is not None else None
        kind = "an empty file" if data is None else _json_type(data)
        raise MdpaperError(f"a CSL-YAML bibliography must be a list of entries, not {kind}",
                           path, line)  # fmt: skip
    assert node is not None  # a non-empty list was read from it
    return [(item, n.start_mark.line + 1) for item, n in zip(data, node.value, strict=True)]
