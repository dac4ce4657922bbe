"""`visible_text`: the text of a formatted message as a Telegram client shows it."""

from __future__ import annotations

import pytest

from replay.telegram.formatting import visible_text


@pytest.mark.parametrize(
    ("html", "seen"),
    [
        ("<b>bold</b> and <i>italic</i>", "bold and italic"),
        ('<a href="https://example.com/?a=1&amp;b=2">the site</a>', "the site"),
        ("&lt;tag&gt; &amp; &quot;quotes&quot;", '<tag> & "quotes"'),
        ("<tg-spoiler>secret</tg-spoiler> <u>u</u> <s>s</s>", "secret u s"),
        ('<pre><code class="language-python">print(1)</code></pre>', "print(1)"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> ok', "👍 ok"),
        ("<blockquote expandable>quoted</blockquote>", "quoted"),
        ("no markup at all", "no markup at all"),
        ("line one\n<b>line two</b>", "line one\nline two"),
    ],
)
def test_html_markup_is_stripped(html: str, seen: str) -> None:
    assert visible_text(html, "HTML") == seen


def test_the_parse_mode_is_case_insensitive() -> None:
    assert visible_text("<b>x</b>", "html") == "x"


@pytest.mark.parametrize(
    ("markdown", "seen"),
    [
        ("*bold* _italic_ __underline__ ~strike~", "bold italic underline strike"),
        ("||spoiler|| and `code`", "spoiler and code"),
        ("[the site](https://example.com/a_b)", "the site"),
        (r"1\.5 \- 2\! \(note\)", "1.5 - 2! (note)"),
        (r"\*not bold\* and a\_b", "*not bold* and a_b"),
        (r"back\\slash", "back\\slash"),
    ],
)
def test_markdown_v2_marks_and_escapes_are_stripped(markdown: str, seen: str) -> None:
    assert visible_text(markdown, "MarkdownV2") == seen


def test_legacy_markdown_is_stripped_too() -> None:
    assert visible_text("*bold* _italic_ [link](https://x.org)", "Markdown") == "bold italic link"


@pytest.mark.parametrize("mode", [None, ""])
def test_without_a_parse_mode_the_text_is_as_sent(mode: str | None) -> None:
    assert visible_text("<b>*as is*</b>", mode) == "<b>*as is*</b>"
