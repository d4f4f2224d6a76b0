"""Algorithms pseudocode.js draws (``latex.pseudocode``): the paper sets them with LaTeX's
algorithm and algorithmic, numbered as the tag asks, its extra commands as the library
shows them; a source that may not run in TeX is a located error."""

from __future__ import annotations

import pytest

from mdpaper.build.convert import convert
from mdpaper.build.post import BuildOptions, build_post
from mdpaper.source.site import load_post

from conftest import Site, pdf_text, requires_tex, squash

ALGORITHM = r"""Before it.

<pre id="gd" class="pseudocode" data-line-number=true>
    \begin{algorithm}
    \caption{Gradient Descent}
    \begin{algorithmic}
    \REQUIRE{A step size $\tau > 0$}
    \INPUT{Initial weights $w_0$}
    \PROCEDURE{descend}{$K$}
      \WHILE{$k < K$ \AND $g > 0$}
        \STATE{$w \gets w - \tau g$}
        \IF{$k > 10$} \BREAK \ENDIF
      \ENDWHILE
      \RETURN \CALL{finish}{$w$}
    \ENDPROCEDURE
    \end{algorithmic}
    \end{algorithm}
</pre>

After it.
"""


def _unsafe_site(site: Site) -> None:
    (site.root / "hugo.toml").write_text('title = "T"\n[markup.goldmark.renderer]\n'
                                         "unsafe = true\n")


@requires_tex
@pytest.mark.tex
def test_an_algorithm_is_set_as_pseudocode_js_draws_it(site: Site) -> None:
    """It stopped the build ('Undefined control sequence \\AND in math'): the text of the
    <pre> was read as math."""
    _unsafe_site(site)
    result = build_post(site.post(ALGORITHM), BuildOptions())
    assert result.pdf is not None
    assert [d for d in result.diagnostics if d.severity == "warning"] == []
    text = squash(pdf_text(result.pdf))
    assert ("Before it. Algorithm 1 Gradient Descent Require: A step size τ > 0 Input: "
            "Initial weights w0 1: procedure descend(K) 2: while k < K and g > 0 do 3: "
            "w ← w − τg 4: if k > 10 then 5: break 6: end if 7: end while 8: return "
            "finish(w) 9: end procedure After it.") in text


def test_an_algorithm_that_may_not_run_is_a_located_error(site: Site) -> None:
    _unsafe_site(site)
    text = ALGORITHM.replace(r"\STATE{$w", r"\STATE{\input{/etc/passwd}$w")
    post = site.post(text)
    line = next(n for n, text in enumerate(post.read_text().split("\n"), 1)
                if "/etc/passwd" in text)
    result = convert(load_post(post), "post", keep_safe_errors=True).result
    errors = [(d.line, d.message) for d in result.diagnostics if d.severity == "error"]
    assert errors and errors[0][0] == line and "may not use \\input" in errors[0][1]
    other = ALGORITHM.replace("algorithmic}", "itemize}")
    post = site.post(other)
    line = next(n for n, text in enumerate(post.read_text().split("\n"), 1)
                if "begin{itemize}" in text)
    result = convert(load_post(post), "post", keep_safe_errors=True).result
    errors = [(d.line, d.message) for d in result.diagnostics if d.severity == "error"]
    assert errors == [(line, "pseudocode.js draws algorithm and algorithmic only, not "
                           "\\begin{itemize}")]


#: a theme's shortcode in the way such themes write it: a page store to link the library's
#: styles once, and a class of its own that its script hands to pseudocode.js
SITE_SHORTCODE = """{{- if not ($.Page.Store.Get "shortcode-pseudocode") }}
  {{- $.Page.Store.Set "shortcode-pseudocode" 1 }}
  <link rel="stylesheet" href="/css/pseudocode.css" />
{{- end }}
<div>
  <pre class="shortcode-pseudocode"
    data-line-number="{{ .Get "line-number" | default "true" }}">
    {{ .Inner }}
  </pre>
</div>
"""


@requires_tex
def test_a_site_shortcode_around_an_algorithm(site: Site) -> None:
    """The shortcode was 'unknown' (the page store is outside the template subset) and
    the algorithm's source was printed as text."""
    _unsafe_site(site)
    (site.root / "layouts" / "shortcodes").mkdir(parents=True)
    (site.root / "layouts" / "shortcodes" / "pseudocode.html").write_text(SITE_SHORTCODE)
    body = ALGORITHM.split("\n")
    start, end = body.index(next(x for x in body if x.startswith("<pre"))), body.index("</pre>")
    post = site.post("\n".join([*body[:start], "{{< pseudocode >}}", *body[start + 1:end],
                                "{{< /pseudocode >}}", *body[end + 1:]]))
    result = build_post(post, BuildOptions())
    assert result.pdf is not None and result.diagnostics == []
    text = squash(pdf_text(result.pdf))
    assert "Before it. Algorithm 1 Gradient Descent Require:" in text and "\\begin" not in text
    assert "8: return finish(w) 9: end procedure After it." in text


def _algorithmic_text(site: Site, lines: str) -> str:
    """The PDF text of a post holding one algorithmic of ``lines``; it builds cleanly."""
    _unsafe_site(site)
    post = site.post('<pre class="pseudocode">\n\\begin{algorithmic}\n'
                     f"{lines}\n\\end{{algorithmic}}\n</pre>\n")
    result = build_post(post, BuildOptions())
    assert result.pdf is not None and result.diagnostics == []
    return squash(pdf_text(result.pdf))


@requires_tex
def test_a_label_on_a_line_of_its_own(site: Site) -> None:
    """``\\REQUIRE \\\\`` with the inputs below it, as pseudocode.js breaks the line: TeX
    stopped with "There's no line here to end" after the item's label."""
    text = _algorithmic_text(site, "\\REQUIRE \\\\\n    data $T$ \\\\\n    model $M$\n"
                                   "\\OUTPUT \\\\\n    bundles\n\\STATE $x \\gets 1$")
    assert "Require: data T model M Output: bundles" in text and "\\\\" not in text


@requires_tex
def test_an_environment_in_a_formula_of_an_algorithm(site: Site) -> None:
    """KaTeX renders the algorithm's formulas, cases arrays and all; only environments
    outside them are refused ('draws algorithm and algorithmic only, not \\begin{array}')."""
    text = _algorithmic_text(site, "\\STATE $p \\gets \\left\\{\\begin{array}{ll} 1 & "
                                   "\\text{if } a \\\\ 0 & \\text{else}\\end{array}"
                                   "\\right.$")
    assert "1 if a" in text
