"""What Hugo's Goldmark adds to CommonMark, parsed the way Hugo parses it: comments hidden,
alerts, definition lists, one-tilde strikethrough, guillemets, attribute lists."""

from __future__ import annotations

import pytest

from mdpaper.markdown.goldmark import parse_attributes, trailing_attributes
from mdpaper.markdown.parser import create_parser
from mdpaper.markdown.shortcodes import hide_comments


def parse(text: str, **options: bool) -> list[dict]:
    return create_parser().parse_post(text, 1, **options).tokens


def kinds(tokens: list[dict]) -> list[str]:
    return [t["type"] for t in tokens if t["type"] != "blank_line"]


def test_comments_are_hidden_and_keep_every_later_line() -> None:
    text = ("a {{% comment %}}secret{{% /comment %}} b\n{{< comment >}}\nx\n\ny\n"
            "{{< /comment >}}\nlast\n")
    hidden, unclosed = hide_comments(text)
    assert "secret" not in hidden and "x" not in hidden and not unclosed
    assert hidden.splitlines()[6] == "last"  # the seventh line is still the seventh
    assert hide_comments("ok\n{{% comment %}}\nnever closed\n")[1] == [1]


def test_github_alerts_become_titled_alert_tokens() -> None:
    tokens = parse("> [!WARNING] Mind the gap\n> Text.\n\n> [!TIP]-\n> Folded.\n\n"
                   "> [!UNKNOWN]\n> Stays a quote.\n")
    assert kinds(tokens) == ["alert", "alert", "block_quote"]
    assert tokens[0]["attrs"] == {"kind": "warning", "title": "Mind the gap",
                                  "foldable": False}
    assert tokens[2]["attrs"]["title"] == "Tip" and tokens[2]["attrs"]["foldable"]
    first_paragraph = tokens[0]["children"][0]
    assert [c["raw"] for c in first_paragraph["children"]] == ["Text."]


def test_definition_lists_one_tilde_and_guillemets() -> None:
    tokens = parse("Apple\n: A fruit\n: A company\n\nA ~gone~ and ~~gone~~ <<word>>.\n")
    assert kinds(tokens) == ["def_list", "paragraph"]
    assert [c["type"] for c in tokens[0]["children"]] == [
        "def_list_head", "def_list_item", "def_list_item"]
    inline = [c["type"] for c in tokens[-1]["children"]]
    assert inline.count("strikethrough") == 2
    assert "«word»" in "".join(c.get("raw", "") for c in tokens[-1]["children"])


@pytest.mark.parametrize("text, expected", [
    ("{#id .c}", {"id": "id", "class": "c"}),
    ('{id="x" class="y"}', {"id": "x", "class": "y"}),
    ("{.a .b key=v}", {"class": "a b", "key": "v"}),
    ("{a, b}", None),
    ("{}", None),
])
def test_attribute_lists(text: str, expected: dict | None) -> None:
    assert parse_attributes(text) == expected


def test_a_heading_keeps_braces_that_are_not_attributes() -> None:
    assert trailing_attributes("Sets {a, b}") == ("Sets {a, b}", None)
    assert trailing_attributes("Title {#t .x}") == ("Title", {"id": "t", "class": "x"})


def test_block_attributes_only_where_the_site_enables_them() -> None:
    text = "Para\n{.lead #p1}\n"
    on = parse(text, block_attributes=True)
    assert on[0]["attrs"]["block_id"] == "p1"
    assert [c.get("raw") for c in on[0]["children"]] == ["Para"]
    off = parse(text)
    assert "{.lead #p1}" in "".join(c.get("raw", "") for c in off[0]["children"])
