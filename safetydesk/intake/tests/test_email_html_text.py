"""HTML-only mail becomes the text a reader would see; nothing active survives."""

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from safetydesk.intake.html_text import html_to_text


class HtmlToTextTests(SimpleTestCase):
    def test_it_drops_script_style_title_and_head(self) -> None:
        html = (
            "<html><head><title>T1</title><meta name=x content=META><style>.a{}</style>"
            "<script>S1()</script></head><body><script>S2()</script><p>visible</p>"
            "<template>TEMPLATE</template></body></html>"
        )
        assert html_to_text(html) == "visible"

    def test_it_ends_an_unclosed_head_at_the_first_body_element(self) -> None:
        assert html_to_text("<head><title>t</title><p>body text") == "body text"

    def test_it_drops_the_rest_of_a_document_after_an_unclosed_script(self) -> None:
        assert html_to_text("<p>before</p><script>alert(1); <p>after") == "before"

    def test_it_keeps_link_urls_and_drops_active_ones(self) -> None:
        html = (
            '<a href="https://example.org/a?x=1&amp;y=2">docs</a> '
            '<a href="javascript:alert(1)">js</a> '
            '<a href="data:text/html,boom">data</a> '
            '<a href="/relative">rel</a> '
            '<a href="mailto:ca@example.org">ca@example.org</a> '
            '<a href="https://example.org/same">https://example.org/same</a> '
            '<a href="https://example.org/img"><img src="x.png"></a>'
        )
        assert html_to_text(html) == (
            "docs (https://example.org/a?x=1&y=2) js data rel ca@example.org https://example.org/same "
            "https://example.org/img"
        )

    def test_it_turns_blocks_lists_and_tables_into_lines(self) -> None:
        html = (
            "<h1>Title</h1><div>one<br>two</div><ul><li>a</li><li>b</li></ul>"
            "<table><tr><th>k</th><td>v</td></tr><tr><td>k2</td><td>v2</td></tr></table><hr><p>end</p>"
        )
        assert html_to_text(html) == "Title\none\ntwo\n- a\n- b\nk | v\nk2 | v2\n---\nend"

    def test_it_collapses_whitespace_but_keeps_preformatted_text(self) -> None:
        html = "<p>  many \n\n  spaces&nbsp;here </p><pre>  keep\n    this</pre>"
        assert html_to_text(html) == "many spaces here\n  keep\n    this"

    def test_it_decodes_entities_and_ignores_comments_and_declarations(self) -> None:
        html = "<!DOCTYPE html><!-- hidden --><![CDATA[x]]><?php evil() ?><p>&lt;b&gt; &eacute; &#x1F600; &amp;</p>"
        assert html_to_text(html) == "<b> é 😀 &"

    def test_it_ignores_event_handlers_and_other_attributes(self) -> None:
        html = '<p onclick="steal()" style="x" title="TITLE_ATTR">hi <img alt="a cat" onerror="bad()"></p>'
        assert html_to_text(html) == "hi [image: a cat]"


class HtmlToTextPropertyTests(SimpleTestCase):
    @given(st.text(max_size=2000))
    @settings(max_examples=300, deadline=None)
    def test_it_never_fails_on_any_text(self, html: str) -> None:
        assert isinstance(html_to_text(html), str)

    @given(st.text(alphabet=st.characters(blacklist_characters="<&"), max_size=200))
    @settings(max_examples=200, deadline=None)
    def test_it_never_lets_script_content_through(self, secret: str) -> None:
        secret = "X" + secret.replace("</", "") + "X"
        html = f"<p>keep</p><script>{secret}</script><style>{secret}</style>"
        text = html_to_text(html)
        assert text == "keep"
