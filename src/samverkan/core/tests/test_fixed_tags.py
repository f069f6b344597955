"""``{% fixed_url %}`` and ``{% language_options %}`` give what Django's own tags give,
worked out once per process (decision 0359)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from samverkan.core.templatetags import fixed

pytestmark = pytest.mark.db_independent


def _render(text: str) -> str:
    return Template("{% load i18n fixed %}" + text).render(Context({}))


@pytest.mark.parametrize("name", ["web:home", "notify:count", "set_language", "healthz"])
def test_fixed_url_is_the_url_tag(name):
    assert _render(f"{{% fixed_url '{name}' %}}") == _render(f"{{% url '{name}' %}}")
    assert _render(f'{{% fixed_url "{name}" %}}') == reverse(name)


def test_fixed_url_follows_the_script_prefix():
    try:
        set_script_prefix("/kommun/")
        assert _render("{% fixed_url 'web:home' %}") == reverse("web:home")
        assert _render("{% fixed_url 'web:home' %}").startswith("/kommun/")
    finally:
        set_script_prefix("/")
    assert not _render("{% fixed_url 'web:home' %}").startswith("/kommun/")


def test_fixed_url_is_remembered():
    fixed._urls.clear()
    _render("{% fixed_url 'web:home' %}")
    assert [key[0] for key in fixed._urls] == ["web:home"]


@pytest.mark.parametrize(
    "text",
    ["{% fixed_url %}", "{% fixed_url web:home %}", "{% fixed_url 'people:child_detail' x %}"],
)
def test_fixed_url_refuses_arguments_and_unquoted_names(text):
    with pytest.raises(TemplateSyntaxError):
        _render(text)


def test_language_options_are_the_language_info_list():
    each = "{% for l in ls %}{{ l.code }}={{ l.name_local }};{% endfor %}"
    ours = "{% language_options as ls %}" + each
    django = "{% get_available_languages as L %}{% get_language_info_list for L as ls %}" + each
    assert _render(ours) == _render(django) == "sv=svenska;en=English;"
    with override_settings(LANGUAGES=[("en", "English")]):
        assert _render(ours) == _render(django) == "en=English;"
