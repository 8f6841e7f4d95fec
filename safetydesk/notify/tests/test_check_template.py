"""What an administrator may write in a template: text, the known variables, if/else."""

import pytest
from django.test import SimpleTestCase

from safetydesk.notify.rendering import TemplateProblem, check_notice_template


class CheckTemplateTests(SimpleTestCase):
    def assert_refused(self, subject: str, body: str, words: str) -> None:
        with pytest.raises(TemplateProblem) as refused:
            check_notice_template(subject, body)
        assert words in str(refused.value), str(refused.value)

    def test_it_accepts_variables_and_conditions(self) -> None:
        check_notice_template(
            "Received {{ reference }}",
            "{% if dsa_notice %}DSA{% elif venue_url %}{{ venue_url|default:'' }}{% else %}-{% endif %}"
            "{# a comment #}{% comment %}notes{% endcomment %}",
        )

    def test_it_refuses_tags_that_reach_outside_the_template(self) -> None:
        for tag in ("{% load static %}", '{% include "console/base.html" %}', "{% debug %}", "{% now 'Y' %}"):
            with self.subTest(tag=tag):
                self.assert_refused("Subject", f"Body {tag}", "is not allowed here")

    def test_it_refuses_unknown_variables_and_attribute_access(self) -> None:
        self.assert_refused("Subject", "{{ case.summary }}", "is not a variable")
        self.assert_refused("Subject", "{{ reference.upper }}", "is not a variable")
        self.assert_refused("Subject {{ settings }}", "Body", "is not a variable")
        self.assert_refused("Subject", "{% if request.user %}x{% endif %}", "is not a variable")

    def test_it_refuses_a_syntax_error_with_the_reason(self) -> None:
        self.assert_refused("Subject", "{% if reference %}never closed", "Template syntax error")

    def test_it_refuses_an_empty_or_multi_line_subject_and_an_empty_body(self) -> None:
        self.assert_refused("  ", "Body", "subject is empty")
        self.assert_refused("One\nTwo", "Body", "one line")
        self.assert_refused("Subject", " \n ", "body is empty")
