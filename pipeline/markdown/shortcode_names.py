"""The shortcode names mdpaper knows, by what each kind shows on the page: Hugo's own
(figure, ref, param…) and those of common themes (boxes, tabs, quotations, embeds, icons).
A name not here is a site's own shortcode (``latex.unknown_shortcodes``)."""

from __future__ import annotations

#: Shortcodes that stand alone as a block (figure, bibliography) or wrap Markdown.
BLOCK_NAMES = {"figure", "bibliography", "toc", "qr", "card"}
PAIRED_NAMES = {"notice", "note", "tip", "warning", "info", "details", "alert", "callout",
                "admonition", "hint", "important", "caution", "aside", "expand", "tab",
                "spoiler", "collapse", "fold"}
#: Themes' quotation shortcodes (Stack's quote, Octopress-style blockquote, Tufte's
#: epigraph): the quoted text, its author and source under it.
QUOTE_NAMES = {"quote", "blockquote", "epigraph"}
#: Paired shortcodes of common themes that only lay out their content (tabs, columns,
#: centring, Blowfish's and Congo's lead paragraph, keywords, text direction) or dress it
#: as a button: the page shows the content, and so does the paper.
TRANSPARENT_NAMES = {"tabs", "columns", "column", "center", "button", "div", "section",
                     "tabpane", "steps", "cards", "style", "typeit", "pageinfo", "lead",
                     "keyword", "keywordList", "ltr", "rtl"}
#: Box shortcodes that some sites define with no inner text (``{{< fold arch.py >}}`` shows
#: a file folded): a box only where the post closes them, else a site's shortcode.
CLOSED_ONLY_NAMES = {"fold"}
#: Box shortcodes whose first positional argument is their title (not their kind).
TITLE_FIRST_NAMES = {"details", "tab", "expand", "spoiler", "fold"}
#: Web embeds a paper cannot show; rendered as a link with a warning.
EMBED_NAMES = {"youtube", "vimeo", "tweet", "x", "instagram", "gist", "bilibili",
               "youtubeLite", "github"}  # (Blowfish's: a lighter player; a repository card)
#: Tufte-style themes' side and margin notes: on paper, footnotes.
NOTE_NAMES = {"sidenote", "marginnote"}
#: Sites' anchor shortcodes (``{{< anchor name "text" >}}`` -> ``<a name=…>text</a>``).
ANCHOR_NAMES = {"anchor"}
#: A link written as a shortcode (LoveIt, DoIt, FixIt: ``{{< link href content title >}}``,
#: named or positional): the page shows the content, else the address, linked.
LINK_NAMES = {"link"}
#: Hugo Blox's link to a file of the site, around its text (``{{< staticref "uploads/cv.pdf"
#: "newtab" >}}My CV{{< /staticref >}}``)
STATIC_LINK_NAMES = {"staticref"}
#: Hugo Blox's (Wowchemy's) highlight around text: its content marked, as ``<mark>``
MARK_NAMES = {"hl"}
#: Media players of themes (Hugo Blox's ``{{< video src="clip.mp4" >}}``, ``audio``): as
#: raw HTML's <video> and <audio>, a link to the file stands in
MEDIA_NAMES = {"video", "audio"}
INLINE_NAMES = ({"cite", "ref", "relref", "param", "sup", "sub"} | {"badge", "kbd", "icon"}
                | NOTE_NAMES | ANCHOR_NAMES | LINK_NAMES | STATIC_LINK_NAMES | MARK_NAMES
                | MEDIA_NAMES)
#: Theme shortcodes that only draw an icon: the page shows no text, nor does the paper.
ICON_NAMES = {"icon", "icons/icon"}  # (the second: HugoMods' icons module)
#: Shortcodes only the web page shows (the page's link to its own PDF): left out silently.
#: ``{{< katex >}}`` / ``{{< mathjax >}}`` alone (Blowfish, Congo) only load the renderer.
WEB_ONLY_NAMES = {"paper-pdf", "katex", "mathjax"}
KNOWN_NAMES = (BLOCK_NAMES | PAIRED_NAMES | QUOTE_NAMES | TRANSPARENT_NAMES | EMBED_NAMES
               | INLINE_NAMES | WEB_ONLY_NAMES | {"highlight", "comment"})
