"""A caption that numbers itself ("Figure 2: …", as a post must where the page numbers no
figure) is numbered once in the paper: its own number goes when it is the one LaTeX gives
the figure; another number stays (the post's "see Figure 7" may count by it).

Real pdflatex and poppler."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from conftest import Site, pdf_text, requires_tex, run_cli

POST = """Three plots.

{{< figure src="plot.png" caption="Figure 1: The loss, *smoothed*." >}}

{{< figure src="plot.png" caption="fig. 2. The accuracy." >}}

{{< figure src="plot.png" caption="Fig. 7: Counted by the author." >}}

{{< figure src="plot.png" caption="Figure 4:" >}}
"""


@requires_tex
def test_a_caption_that_numbers_itself_is_numbered_once(site: Site, tmp_path: Path) -> None:
    post = site.post(POST, "plots/index.md")
    Image.new("RGB", (40, 20), "white").save(post.parent / "plot.png")
    done = run_cli("build", str(post), "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    lines = pdf_text(tmp_path / "out" / "plots" / "plots.pdf").splitlines()
    assert "Figure 1: The loss, smoothed." in lines
    assert "Figure 2: The accuracy." in lines
    assert "Figure 3: Fig. 7: Counted by the author." in lines
    assert "Figure 4: Figure 4:" in lines  # (nothing else to show)
