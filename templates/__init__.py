"""mdpaper's built-in templates, shipped as package data (``mdpaper.templates``): one folder
per template, each with a ``template.toml``. This file only makes the folder importable for
``importlib.resources``; see ``mdpaper.document.templates``."""
