"""``mdpaper arxiv``: a successful build turned into a bundle ready to upload to arXiv.

One module, one job:

* ``bundle``: the steps in order (collect, check, write the archive, prove) and the report.
* ``sources``: what goes in: the flattened .tex, the figures and local packages it uses,
  under names arXiv accepts.
* ``texclean``: comment stripping for that .tex (TeX's rules, not arXiv's).
* ``preflight``: arXiv's rules (abstract, file names, packages, .bbl, sizes), each broken
  rule an ``errors.Diagnostic``.
* ``readme``: ``00README.json``, the directives arXiv reads before compiling.
* ``proof``: the unpacked bundle compiled alone, the way arXiv compiles it.
"""
