"""The Hugo side of mdpaper: the partial and the ``paper-pdf`` shortcode that link a page to
its paper (``layouts/``, shipped as package data and read with ``importlib.resources``), and
``install``, which copies them into a site's ``layouts/`` (``mdpaper hugo install``)."""
