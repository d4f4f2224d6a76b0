"""The command line's help texts, written like manual pages (kept apart from arguments.py so the
argument code stays short)."""

from __future__ import annotations

MAIN = """Turn a Hugo Markdown post into a paper: LaTeX, BibTeX, PDF, arXiv bundle.

commands:
  build POST...   convert each post and compile it to OUTDIR/NAME/NAME.pdf
  arxiv POST      build, then write an arXiv bundle and prove it compiles alone
  check POST...   report what a build would complain about, without running TeX
  watch POST      build, then rebuild on every save of the post or what it uses
  hugo install    put mdpaper's partial and {{< paper-pdf >}} shortcode into a site
  completion SH   print a completion script for bash, zsh or fish

Run 'mdpaper COMMAND --help' for a command's options, examples and exit status."""

SETTINGS = """settings:
  The template, engine and citation style come from, last one winning:
    1. the site: mdpaper.toml at the site root (top-level keys), or [tool.mdpaper]
       in the site's pyproject.toml: template, engine, citation-style, output,
       and [authors."Name"] tables with affiliation, email, orcid;
    2. the post's front matter: mdpaper: {template: arxiv, citation-style: numeric}
       (or paper: {...});
    3. the command line: --template, --engine, --citation-style, -o.
  The engine is auto unless one of them sets it: pdflatex when its fonts can set every
  character of the post and its bibliography, else xelatex (CJK, Cyrillic, ...).
  -v prints the value of each setting and where it came from. Hugo's own config
  (hugo.toml, hugo.yaml, config.toml...) decides which $ and \\( delimiters are
  math (Goldmark passthrough) and the heading id style (autoHeadingIDType)."""

OUTPUT = """output:
  On a terminal, a live line per stage (bibliography, parse, render, each LaTeX
  pass, bundle); otherwise one plain line per finished stage. The last line names
  the PDF with its pages, warnings and time. All of that is on stdout; problems
  print on stderr as FILE:LINE: error|warning: MESSAGE. -q prints errors only;
  -v adds each setting and where it came from."""

BUILD = """Convert Hugo posts to LaTeX and BibTeX and compile them with latexmk.

Each post gets OUTDIR/NAME/NAME.tex, NAME.bib, NAME.pdf and its figures, where NAME is
the post's slug, else its page-bundle folder, else its file name. OUTDIR defaults to
output/ in the site root (the nearest folder above the post with hugo.toml,
config.toml, mdpaper.toml or a pyproject.toml with [tool.mdpaper]). TeX runs in
OUTDIR/NAME/build/; a failed build keeps the last good PDF."""

BUILD_EPILOG = f"""{SETTINGS}

{OUTPUT}

examples:
  mdpaper build content/posts/my-post/index.md
  mdpaper build content/posts/ -o papers          # every post under the folder
  mdpaper build post.md --template arxiv --citation-style numeric
  mdpaper build post.md --template ~/tex/my-template   # a folder with template.toml
  mdpaper build post.md --tex-only -v

papers on a Hugo site:
  mdpaper build content/ --into static/papers     # the posts that opt in
  With --into (or 'into' under [papers] in the site config), posts picked from a
  folder are built only when they opt in: front matter 'paper: true' (or a 'paper:'
  mapping of settings), or their section is listed in the site config's [papers]
  sections = ["posts"]; 'paper: false' opts one out; drafts are left out. Each PDF
  is copied to DIR/NAME.pdf after a good build (--arxiv: a proven NAME-arxiv.tar.gz
  too) and data/mdpaper/papers.json tells the partial of 'mdpaper hugo install'
  where each page's paper is.

exit status:
  0 built, 1 an error in a post (printed as file:line: error: ...), 2 usage."""

ARXIV = """Build the post, bundle what arXiv needs (the flattened main .tex, the .bbl, the
.bib, the figures, 00README.json) into OUTDIR/NAME-arxiv.tar.gz, then unpack it into
an empty folder and compile it the way arXiv does (the engine 00README.json names,
no BibTeX, no shell escape) to prove it works alone: same page count, every citation
resolved."""

ARXIV_EPILOG = f"""{SETTINGS}

examples:
  mdpaper arxiv content/posts/my-post/index.md
  mdpaper arxiv post.md --template arxiv --zip

exit status:
  0 the bundle compiles alone, 1 an error in the post or a failing bundle (kept as
  NAME-arxiv.FAILED.tar.gz), 2 usage."""

CHECK = """Report everything a build would complain about, without running TeX: unknown
citation keys, links to missing heading ids, unknown shortcodes, missing images,
duplicate explicit ids, empty sections, math that would be refused, characters the
engine cannot show, and bad front matter, site config or templates.

One line per problem, FILE:LINE: error|warning: MESSAGE, in line order, on stdout;
fast enough for an editor's save hook."""

CHECK_EPILOG = f"""{SETTINGS}

examples:
  mdpaper check content/posts/my-post/index.md
  mdpaper check content/posts/                  # every post under the folder
  mdpaper check --engine xelatex post.md        # what xelatex could not show
  mdpaper check -q post.md && git commit        # errors only, in a hook

exit status:
  0 no errors (warnings allowed), 1 at least one error, 2 usage."""

WATCH = """Build the post, then rebuild it every time the post, its bibliography, one of
its images, the template or the site's config is saved. Each build prints its
warnings and a summary line; a failed build prints its located errors and leaves the
last good PDF in place, so a PDF viewer that reloads keeps showing a paper. Stop it
with Ctrl-C."""

WATCH_EPILOG = f"""{SETTINGS}

examples:
  mdpaper watch content/posts/my-post/index.md
  mdpaper watch post.md --open                # and show the PDF in the desktop's viewer
  mdpaper watch post.md --template twocolumn -o /tmp/papers

viewer:
  --open opens the PDF once, after the first good build, with the platform's opener
  (xdg-open, open on macOS); viewers that reload on change then follow the rebuilds.

environment:
  WATCHFILES_FORCE_POLLING=1   poll for changes (network or container file systems
                               where file events do not arrive)

exit status:
  0 stopped with Ctrl-C, 1 the post could not be read, 2 usage."""

HUGO = """Write mdpaper's Hugo files into a site's layouts/ folder:

  layouts/partials/mdpaper/paper-pdf.html   a link to the page's PDF, or nothing
  layouts/shortcodes/paper-pdf.html         {{< paper-pdf >}} in a post (mdpaper leaves
                                            it out of the PDF)

The link comes from data/mdpaper/papers.json, which 'mdpaper build content/ --into
static/papers' writes; it goes through relURL, so a baseURL with a subpath works.
Files that already differ from mdpaper's are kept unless --force."""

HUGO_EPILOG = """the three steps:
  mdpaper hugo install                            # once, in the site's folder
  mdpaper build content/ --into static/papers     # after each edit (or in CI)
  hugo                                            # pages link to their PDF

  and in a template: {{ partial "mdpaper/paper-pdf.html" . }}
  or in a post:      {{< paper-pdf "Read the paper" >}}

exit status:
  0 written or up to date, 2 not a Hugo site or usage."""

COMPLETION = """Print a completion script for the shell: the commands, their options and the
values of --engine, --citation-style and the like, and Markdown files for posts."""

COMPLETION_EPILOG = """install:
  bash: mdpaper completion bash > ~/.local/share/bash-completion/completions/mdpaper
  zsh:  add  source <(mdpaper completion zsh)  to ~/.zshrc
  fish: mdpaper completion fish > ~/.config/fish/completions/mdpaper.fish

exit status:
  0 printed, 2 usage."""
