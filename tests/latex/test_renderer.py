"""The renderer's handler tables and the preamble requirements its handlers declare."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from mdpaper.document.assemble import preamble_packages
from mdpaper.latex.renderer import BLOCK_HANDLERS, Handler, LatexRenderer, RenderContext
from mdpaper.markdown.parser import create_parser
from mdpaper.model import Definitions, Package, RenderResult, Requirement

Token = dict[str, Any]


def _render(markdown: str, tmp_path: Path,
            **handlers: Mapping[str, Handler]) -> tuple[LatexRenderer, RenderResult]:
    parser = create_parser()
    parsed = parser.parse_post(markdown, 1)
    ctx = RenderContext(post_path=tmp_path / "post.md", site_root=tmp_path, post_dir=tmp_path,
                        parser=parser)
    renderer = LatexRenderer(ctx, **handlers)
    return renderer, renderer.render(parsed.tokens, parsed.footnotes)


def test_handlers_declare_the_packages_their_output_needs(tmp_path: Path) -> None:
    r, _ = _render("Some ~~struck~~ text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- item\n",
                tmp_path)
    assert r.state.requirements["ulem"] == Package("ulem", "normalem")
    assert {"booktabs", "longtable", "array", "enumitem"} <= set(r.state.requirements)
    assert "graphicx" not in r.state.requirements


def test_preamble_order_does_not_depend_on_declaration_order() -> None:
    # The preamble is the key of the precompiled-format cache.
    declared: list[Requirement] = [Package("natbib"), Package("ulem", "normalem"),
                                   Package("zzz-extension"), Package("booktabs"),
                                   Definitions("mdpaperbox", "\\newenvironment{x}{}{}"),
                                   Package("framed"), Package("aaa-extension")]
    forward = preamble_packages({r.name: r for r in declared}, "pdflatex", 1)
    backward = preamble_packages({r.name: r for r in reversed(declared)}, "pdflatex", 1)
    assert forward == backward
    assert forward.own[-2:] == ["\\usepackage{aaa-extension}", "\\usepackage{zzz-extension}"]
    assert "\\usepackage[round]{natbib}" in forward.shared


@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_every_engine_splits_the_preamble_at_the_shared_part(engine: str) -> None:
    """One shared part per template (a pdflatex format, a xelatex or lualatex preloading
    run): the packages any post may need load always, a post's own follow the shared
    part, whatever the engine."""
    declared = {r.name: r for r in [Package("longtable"), Package("mathtools"),
                                    Definitions("mdpaperbox", "\\newenvironment{x}{}{}")]}
    parts = preamble_packages(declared, engine, 1)
    assert "\\usepackage{longtable}" in parts.shared
    assert "\\usepackage{fancyvrb}" in parts.shared  # not declared: loaded anyway
    assert sorted(parts.own) == ["\\newenvironment{x}{}{}", "\\usepackage{mathtools}"]
    assert preamble_packages({}, engine, 1).shared == parts.shared  # whatever the post uses


def test_a_caller_can_add_a_handler_that_declares_its_package(tmp_path: Path) -> None:
    def fancy_rule(r: LatexRenderer, tok: Token) -> str:
        r.state.use_package("tikz")
        return "\\tikz\\draw (0,0) -- (1,0);"

    r, result = _render("Above\n\n---\n\nBelow\n", tmp_path,
                block_handlers={**BLOCK_HANDLERS, "thematic_break": fancy_rule})
    assert "\\tikz\\draw" in result.body
    assert "\\usepackage{tikz}" in preamble_packages(r.state.requirements, "pdflatex", 1).own
