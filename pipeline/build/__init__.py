"""Orchestration: convert, compile, replace outputs atomically; the build cache, the one-pass
rebuild, what happens after TeX fails, parallel builds, ``check`` and ``watch``."""
