"""HTML to plain text, safely: for HTML-only email bodies (intake.email_parse).

Built on the standard library's tokenizer (html.parser); nothing is executed, fetched or
rendered. What a reader of the mail would see is kept, in reading order:

- text, with character references decoded and whitespace collapsed (kept inside <pre>);
- block elements (p, div, li, tr, h1…) and <br> start new lines; list items get "- ";
- links as "text (url)" when the URL is http(s), mailto or ftp and differs from the text;
  other schemes (javascript:, data:, relative URLs) are dropped, the text stays;
- images as "[image: alt]" when they have alt text.

Dropped entirely: <script>, <style>, <template>, <title> and everything in <head>, comments,
processing instructions and declarations. Attributes other than href and alt are never read,
so event handlers (onclick=…) cannot leak into the text.
"""

import re
from html.parser import HTMLParser

# Content of these is never text a reader sees. <head> is handled apart: browsers end it at the
# first body element even without </head>.
SKIPPED = frozenset({"script", "style", "template", "title"})
HEAD_ONLY = frozenset({"head", "meta", "link", "base", "title", "style", "script", "noscript"})
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
})
CELLS = frozenset({"td", "th"})
LINK_SCHEMES = ("http://", "https://", "mailto:", "ftp://")
MAX_URL_CHARS = 2000
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip: list[str] = []  # open elements whose content is dropped
        self.in_head = False
        self.pre = 0
        self.links: list[tuple[str, int]] = []  # (url, len(out) when the <a> opened)

    # --- output helpers ---------------------------------------------------------------------

    def _ends_with_newline(self) -> bool:
        for piece in reversed(self.out):
            if piece:
                return piece.endswith("\n")
        return True  # start of document

    def _newline(self) -> None:
        if not self._ends_with_newline():
            self.out.append("\n")

    def _write(self, text: str) -> None:
        if self.pre:
            self.out.append(text)
            return
        text = _SPACES.sub(" ", text)
        if self._ends_with_newline() or (self.out and self.out[-1].endswith(" ")):
            text = text.lstrip(" ")
        if text:
            self.out.append(text)

    # --- tokenizer callbacks ----------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_head and tag not in HEAD_ONLY:
            self.in_head = False  # an element of the body ends an unclosed <head>
        if tag == "head":
            self.in_head = True
            return
        if tag in SKIPPED:
            self.skip.append(tag)
            return
        if self.skip or self.in_head:
            return
        if tag == "br":
            self.out.append("\n")
        elif tag == "hr":
            self._newline()
            self.out.append("---\n")
        elif tag == "li":
            self._newline()
            self.out.append("- ")
        elif tag in CELLS:
            if not self._ends_with_newline():
                self.out.append(" | ")
        elif tag in BLOCKS:
            self._newline()
            if tag == "pre":
                self.pre += 1
        elif tag == "a":
            self.links.append((_safe_url(dict(attrs).get("href")), len(self.out)))
        elif tag == "img":
            alt = " ".join((dict(attrs).get("alt") or "").split())
            if alt:
                self._write(f"[image: {alt}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <img/>, <script/>: no content, so nothing may stay open.
        if tag in SKIPPED or tag == "head":
            return
        self.handle_starttag(tag, attrs)
        if tag in BLOCKS or tag == "a":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
            return
        if tag in SKIPPED:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if self.skip or self.in_head:
            return
        if tag == "a" and self.links:
            url, start = self.links.pop()
            text = "".join(self.out[start:]).strip()
            if url and url not in {text, f"mailto:{text}"}:
                self._write(f" ({url})" if text else url)
        elif tag in BLOCKS:
            if tag == "pre" and self.pre:
                self.pre -= 1
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skip or self.in_head:
            return
        self._write(data)

    # Comments, <!DOCTYPE>, <?pi?> and <![CDATA[…]]> are not shown to a reader.
    def handle_comment(self, data: str) -> None:
        return

    def handle_decl(self, decl: str) -> None:
        return

    def handle_pi(self, data: str) -> None:
        return

    def unknown_decl(self, data: str) -> None:
        return


def _safe_url(href: str | None) -> str:
    url = "".join((href or "").split())  # no whitespace or line breaks inside a URL
    if not url.lower().startswith(LINK_SCHEMES) or len(url) > MAX_URL_CHARS:
        return ""
    return url


def html_to_text(html: str) -> str:
    """The text a reader of `html` would see, as plain text with line breaks."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    parser.skip.clear()
    parser.in_head = False
    while parser.links:  # an <a> never closed still shows its URL
        parser.handle_endtag("a")
    lines = [line.rstrip() for line in "".join(parser.out).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
