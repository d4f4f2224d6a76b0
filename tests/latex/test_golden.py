"""Golden cases per construct, one fixture format: tests/golden/NAME.md -> NAME.tex pins the
body's LaTeX, the packages and definitions the body requires (``% requires:``, the way each
handler declared them) and the warnings, together.

Regenerate after an intended change with
    MDPAPER_UPDATE_GOLDEN=1 pytest tests/latex/test_golden.py
and review the diff of tests/golden/*.tex before committing.
"""

from __future__ import annotations

import os

import pytest

from mdpaper.build.convert import convert
from mdpaper.model import Package, Requirement
from mdpaper.source.site import load_post
from mdpaper.tex.engines import PLAIN_ENGINE

from conftest import TESTS, Site

GOLDEN = TESTS / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.md"))


def render_body(site: Site, name: str) -> tuple[str, list[str], list[str]]:
    text = (GOLDEN / f"{name}.md").read_text(encoding="utf-8")
    site.post("A page other cases link to with ref.\n", name="other-post.md")
    path = site.post(text, name=f"{name}.md")
    post = load_post(path)
    conversion = convert(post, name, engine=PLAIN_ENGINE)  # the goldens pin pdflatex output
    result = conversion.result
    warnings = [f"{d.line}: {d.severity}: {d.message}" for d in result.diagnostics]
    required = [_requirement(r) for _, r in sorted(result.requirements.items())]
    return result.body.strip() + "\n", required, warnings


def _requirement(requirement: Requirement) -> str:
    if isinstance(requirement, Package):
        return requirement.name + (f"[{requirement.options}]" if requirement.options else "")
    return f"{requirement.name} (definitions)"


@pytest.mark.parametrize("name", CASES)
def test_golden(site: Site, name: str) -> None:
    body, required, warnings = render_body(site, name)
    actual = body + (f"% requires: {', '.join(required)}\n" if required else "")
    actual += "".join(f"% {w}\n" for w in warnings)
    expected_path = GOLDEN / f"{name}.tex"
    if os.environ.get("MDPAPER_UPDATE_GOLDEN"):
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")
