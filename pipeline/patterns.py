"""Regular expressions compiled when first used, not when their module is imported.

mdpaper's modules hold some 250 patterns, and ``re`` compiles in Python: compiling all of
them took about a fifth of a conversion's start, while a post uses a quarter of them (a
50 KB post with code, math and tables 69 of 247). A pattern made by ``lazy_pattern`` is
compiled at its first use; from then on each of its methods is the compiled pattern's own
(an attribute of the stand-in), so a pattern in a loop costs what a compiled one does.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast

#: what code asks of a compiled pattern
_ATTRIBUTES = ("match", "search", "fullmatch", "sub", "subn", "finditer", "findall", "split",
               "pattern", "flags", "groups", "groupindex", "scanner")


class _Uncompiled:
    """Stands in for a pattern until it is first used."""

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # (only for names not set on the object)
        pattern, flags = self._source
        compiled = re.compile(pattern, flags)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_pattern({self._source[0]!r})"


def lazy_pattern(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, done at the pattern's first use. Only for patterns
    used through their methods: ``re.sub(p, ...)`` wants the compiled pattern itself."""
    return cast("re.Pattern[AnyStr]", _Uncompiled(pattern, int(flags)))
