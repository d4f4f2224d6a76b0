"""mdpaper: turn a Hugo-style Markdown post into a paper (LaTeX, BibTeX, PDF, arXiv bundle).

Kept import-free on purpose: ``mdpaper --version`` must not pay for mistune, pylatex or
bibtexparser.
"""

__version__ = "0.1.0"
