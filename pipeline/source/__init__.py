"""Stage 1, reading a post: front matter, the Hugo site around it (root, Hugo's config, mdpaper's
site config), settings precedence and the paths a post may name."""
