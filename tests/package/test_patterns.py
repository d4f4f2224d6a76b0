"""``lazy_pattern``: compiled at its first use, the compiled pattern's own methods after."""

from __future__ import annotations

import re

import pytest

from mdpaper.patterns import lazy_pattern


def test_a_pattern_is_compiled_at_its_first_use_not_before() -> None:
    broken = lazy_pattern(r"(unclosed")  # no error yet: nothing compiled
    with pytest.raises(re.error):
        broken.search("text")


def test_a_used_pattern_answers_as_the_compiled_one() -> None:
    words = lazy_pattern(r"(?P<word>\w+)", re.ASCII)
    assert [m["word"] for m in words.finditer("two words")] == ["two", "words"]
    assert words.sub("-", "a b") == "- -" and words.pattern == r"(?P<word>\w+)"
    assert words.flags & re.ASCII and words.groupindex == {"word": 1}
    assert words.match.__self__ is words.search.__self__  # one compiled pattern behind
    assert isinstance(words.match.__self__, re.Pattern)
