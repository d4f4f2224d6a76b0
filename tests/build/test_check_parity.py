"""``check`` and ``build`` report exactly the same warnings, in the same order, once each:
a post full of constructs that warn (inline paired shortcodes, ``<a>`` and ``<video>``
tags whose opening and closing tags both warn, embeds, a draft, empty sections…)."""

from __future__ import annotations

import json

from conftest import REFERENCES, Site, pdf_text, requires_tex, run_cli, squash

POST = """\
---
title: Warnings
draft: true
bibFile: data/bibliography.json
---

An inline {{< notice warning >}}paired{{< /notice >}} one and <a href="https://x.org">a link</a>.

A <a href="javascript:alert(1)">script link</a> and <a name="anchor">named</a>.

{{< unknownthing x >}}

Inline {{< mystery >}} here and {{< spoiler >}}hidden{{< /spoiler >}} there.

{{< youtube abc >}}

```mermaid
graph TD; A-->B
```

<iframe src="https://example.org/embed"></iframe>

<video src="v.mp4"></video>

## Empty

## Not empty

Text with <span style="color:red">red</span> and H{{< sub "2" >}}O{{< sup "x" >}}.

{{< details summary="More" >}}
inner <a href="#nope">missing anchor</a>
{{< /details >}}

[broken](#no-such-heading) and {{< cite shannon1948 >}}.

{{< bibliography src="other.json" >}}
"""


def warning_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": warning: " in line]


@requires_tex
def test_check_and_build_print_the_same_warnings(site: Site) -> None:
    (site.root / "hugo.toml").write_text('title = "S"\n[markup.goldmark.renderer]\n'
                                         "unsafe = true\n")
    (site.root / "other.json").write_text(json.dumps(REFERENCES[:1]))
    post = site.post(POST.split("---\n", 2)[2], "w.md", "---\n" + POST.split("---\n")[1]
                     + "---\n")
    check = run_cli("check", str(post))
    build = run_cli("build", str(post))
    assert build.returncode == 0, build.stdout + build.stderr
    found = warning_lines(check.stdout)
    assert len(found) >= 10, check.stdout  # (<a href>, <a name>: a link, a target; no warning)
    assert found == warning_lines(build.stderr)
    assert len(set(found)) == len(found)  # once each
    lines = [int(line.split(":")[1]) for line in found]
    assert lines == sorted(lines)
    text = squash(pdf_text(site.root / "output" / "w" / "w.pdf"))
    assert "H2Ox" in text.replace(" ", "")  # sub and sup shortcodes typeset, not refused
