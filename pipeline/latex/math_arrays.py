"""Arrays as MathJax and KaTeX set them: a row with more cells than the column
specification has still shows every cell (both add columns as needed), where LaTeX stops
("Extra alignment tab has been changed to \\cr"). The specification is padded with
centred columns to the widest row, ``alignat``'s number of column pairs raised to it;
``cases`` (two columns in amsmath; mathtools' ``dcases`` and ``rcases`` too) with a wider row is
set as amsmath sets cases, as an array of as many left-aligned columns. A ``split`` (one
alignment point in amsmath) with a row of more cells is set as ``aligned``, which has as
many as it needs, as the page's renderer shows it.

Row ends and cells where LaTeX has no rows are left out, as the web renderers show nothing
for them: a ``\\\\`` inside a brace group or between ``\\left`` and ``\\right``
(``\\sum_{i \\\\ j}``), an ``&`` in ``gather`` (KaTeX puts the cells side by side).

A display's one ``\\tag`` written inside an inner environment (``aligned``, ``cases``…)
numbers the whole display, as KaTeX and MathJax read it; amsmath allows it only outside
("\\tag not allowed here"), where it is moved.
"""

from __future__ import annotations

import re

from mdpaper.patterns import lazy_pattern

_ARRAY = lazy_pattern(r"\\begin\s*\{(array|subarray|[dr]?cases\*?|alignat\*?|alignedat|split)\}")
_TOKEN = lazy_pattern(r"\\begin\s*\{([^{}]*)\}|\\end\s*\{([^{}]*)\}|\\(?:[A-Za-z]+|.)|[{}&]",
                      re.S)
_ROW_END = frozenset(("\\\\", "\\cr", "\\newline"))


def pad_arrays(math: str) -> str:
    """``math`` with each array's column specification as wide as its widest row."""
    if not any(env in math for env in ("array}", "cases}", "cases*}", "{align", "{split}")):
        return math
    out, pos = [], 0
    for m in _ARRAY.finditer(math):
        if m.start() < pos:
            continue
        if "cases" in m.group(1):  # cases, mathtools' dcases and rcases (brace right)
            wanted, end = _widest_row(math, m.end())
            if wanted > 2 and end is not None:
                columns = "@{\\quad}".join("l" * wanted)
                left, right = ("\\left.", "\\right\\}") if m.group(1).startswith("r") else (
                    "\\left\\{", "\\right.")
                out += [math[pos:m.start()], left + "\\def\\arraystretch{1.2}\\begin{array}"
                        f"{{@{{}}{columns}@{{}}}}", math[m.end():end.start()],
                        "\\end{array}" + right]
                pos = end.end()
            continue
        if m.group(1) == "split":
            wanted, end = _widest_row(math, m.end())
            if wanted > 2 and end is not None:
                out += [math[pos:m.start()], "\\begin{aligned}", math[m.end():end.start()],
                        "\\end{aligned}"]
                pos = end.end()
            continue
        if m.group(1).startswith("align"):  # alignat{n}: n pairs of columns
            pairs = _braced(math, m.end())
            if pairs and pairs[0].strip().isdigit():
                wanted, _ = _widest_row(math, pairs[1])
                if wanted > 2 * int(pairs[0]):
                    out += [math[pos:m.end()], f"{{{(wanted + 1) // 2}}}"]
                    pos = pairs[1]
            continue
        spec = _braced(math, m.end())
        if spec is None:
            continue
        text, spec_end = spec
        wanted, _ = _widest_row(math, spec_end)
        have = spec_columns(text)
        if have is None or wanted <= have:
            continue
        out += [math[pos:m.end()], "{", text, "c" * (wanted - have), "}"]
        pos = spec_end
    out.append(math[pos:])
    return "".join(out)


def _braced(s: str, i: int) -> tuple[str, int] | None:
    """The braced group at ``s[i:]`` (after spaces) and the index after it."""
    while i < len(s) and s[i].isspace():
        i += 1
    if i >= len(s) or s[i] != "{":
        return None
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "\\":
            continue
        if s[j] == "{" and (j == 0 or s[j - 1] != "\\"):
            depth += 1
        elif s[j] == "}" and s[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return s[i + 1:j], j + 1
    return None


def _widest_row(s: str, i: int) -> tuple[int, re.Match[str] | None]:
    """The most cells of a row of the environment whose body starts at ``s[i]``, and its
    ``\\end``."""
    depth, cells, widest = 0, 1, 1
    for m in _TOKEN.finditer(s, i):
        token = m.group(0)
        if m.group(1) is not None or token == "{":
            depth += 1
        elif m.group(2) is not None or token == "}":
            if depth == 0:  # this environment's \end
                return widest, m
            depth -= 1
        elif depth == 0 and token == "&":
            cells += 1
            widest = max(widest, cells)
        elif depth == 0 and token in _ROW_END:
            cells = 1
    return widest, None


_SPEC = lazy_pattern(r"\*\s*\{\s*(\d+)\s*\}|[@!<>]\s*|[pmbwW]\s*|[lcrX]|\s|[|:]|.")


def spec_columns(spec: str) -> int | None:
    """How many columns an array's specification makes (None when it cannot say)."""
    count, i = 0, 0
    while i < len(spec):
        m = _SPEC.match(spec, i)
        if m is None:
            return None
        token, i = m.group(0), m.end()
        if m.group(1):  # *{n}{columns}
            inner = _braced(spec, i)
            sub = spec_columns(inner[0]) if inner else None
            if inner is None or sub is None:
                return None
            count, i = count + int(m.group(1)) * sub, inner[1]
        elif token[0] in "@!<>pmbwW":  # a group follows: inserted material or a width
            inner = _braced(spec, i)
            if inner is None:
                return None
            i = inner[1]
            if token[0] in "pmbwW":
                count += 1
                if token[0] in "wW":  # w{align}{width}
                    width = _braced(spec, i)
                    i = width[1] if width else i
        elif token in "lcrX":
            count += 1
    return count


#: commands whose braced argument holds rows of its own, ended by \\
_ROWS_ARGUMENT = frozenset(("\\substack", "\\displaylines"))
#: environments of one column whose & KaTeX takes as a cell beside the last, with no space
_ONE_COLUMN = frozenset(("gather", "gather*", "gathered"))
#: what may follow \\ as its own: a star, extra space ([2pt]; an interval [a, b] is math)
_BREAK_SPACING = lazy_pattern(r"\*?\[\s*-?[\d.]+\s*[a-z]{2}\s*\]|\*")


def without_stray_rows(math: str) -> str:
    """``math`` without the ``\\\\`` and ``&`` that stand where LaTeX has no rows or cells:
    KaTeX and MathJax set nothing for them (``\\sum_{i \\\\ j}``, ``\\left( a \\\\
    b \\right)``, ``\\text{a \\\\ b}``) or put the cells together (``&`` in ``gather``);
    TeX stopped ("Missing } inserted", "Extra alignment tab")."""
    if "\\\\" not in math and not ("&" in math and "{gather" in math):
        return math
    # what each open group is: an environment's or a rows argument's rows, or a group
    stack: list[str] = []
    out, pos, previous = [], 0, ""
    for m in _TOKEN.finditer(math):
        token = m.group(0)
        if m.start() < pos:  # (inside the spacing of a row end left out)
            continue
        if m.group(1) is not None:
            stack.append(m.group(1).strip())
        elif m.group(2) is not None or token in ("}", "\\right"):
            if stack:
                stack.pop()
        elif token in ("{", "\\left"):
            stack.append("rows" if previous in _ROWS_ARGUMENT else "")
        elif stack and ((token == "\\\\" and not stack[-1])
                        or (token == "&" and stack[-1] in _ONE_COLUMN)):
            spacing = _BREAK_SPACING.match(math, m.end()) if token != "&" else None
            out += [math[pos:m.start()], " " if token != "&" else "{}"]
            pos = spacing.end() if spacing else m.end()
        previous = token
    return "".join(out) + math[pos:]


_TAG = lazy_pattern(r"\\tag(?![A-Za-z])\*?\s*(?=\{)")
_ENVIRONMENT = lazy_pattern(r"\\(begin|end)\s*\{[^{}]*\}")


def lift_inner_tag(display: str) -> str:
    """``display`` (the inside of ``\\[…\\]``) with its one ``\\tag{…}`` moved out of the
    inner environment it stands in, to the end. Two tags are an error on the page too
    ("Multiple \\tag"), and one already outside needs nothing: both stay as written."""
    if "\\tag" not in display:
        return display
    tags = list(_TAG.finditer(display))
    if len(tags) != 1:
        return display
    tag = tags[0]
    depth = sum(1 if m.group(1) == "begin" else -1
                for m in _ENVIRONMENT.finditer(display, 0, tag.start()))
    label = _braced(display, tag.end())
    if depth <= 0 or label is None:
        return display
    end = label[1]
    return display[:tag.start()] + display[end:] + "\n" + display[tag.start():end]
