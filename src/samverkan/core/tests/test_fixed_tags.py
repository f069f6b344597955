"""``{% fixed_url %}`` and ``{% language_options %}`` give what Django's own tags give,
worked out once per process (decision 0359); ``{% fixed_for %}`` renders a block once per
language and named values, and the menu it keeps still follows each request (decision
0369)."""

import uuid

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils import translation

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


def test_fixed_for_renders_its_block_once_per_language_and_named_value():
    text = "{% fixed_for nav %}{% translate 'Barn' %}:{{ nav }}:{{ other }}{% endfixed_for %}"
    node = Template("{% load i18n fixed %}" + text)

    def render(**values):
        return node.render(Context(values))

    with translation.override("sv"):
        assert render(nav="children", other="a") == "Barn:children:a"
        assert render(nav="home", other="b") == "Barn:home:b"
        # A value the block shows without naming it: given as first rendered.
        assert render(nav="children", other="c") == "Barn:children:a"
    with translation.override("en"):
        assert render(nav="children", other="d") == "Children:children:d"


def test_fixed_for_escapes_as_its_block():
    text = "{% fixed_for v %}{{ v }}{% endfixed_for %}"
    assert _render_with(text, v="<b>") == "&lt;b&gt;"
    assert _render_with("{% autoescape off %}" + text + "{% endautoescape %}", v="<b>") == "<b>"


@pytest.mark.parametrize("inside", ["{% csrf_token %}", "{% block b %}{% endblock %}"])
def test_fixed_for_refuses_the_csrf_token_and_blocks(inside):
    with pytest.raises(TemplateSyntaxError):
        _render("{% fixed_for %}" + inside + "{% endfixed_for %}")


def test_fixed_for_puts_each_requests_id_in_the_block_rendered_once():
    """An id bound with ``name=value`` (decision 0372): rendered once per key with a
    stand-in, then each id's text in its place; the path is the one ``{% url %}``
    gives, and a block that shows the id in another form is rendered every time."""
    text = (
        "{% fixed_for k child_id=child %}{% translate 'Barn' %} {{ k }} "
        "{% id_url 'people:child_detail' child_id as url %}<a href='{{ url }}'>{{ child_id }}</a>"
        "{% endfixed_for %}"
    )
    node = Template("{% load i18n fixed %}" + text)
    calls = []
    original = node.nodelist[-1].nodelist.render

    def counting(context):
        calls.append(1)
        return original(context)

    node.nodelist[-1].nodelist.render = counting
    for language, word in [("sv", "Barn"), ("en", "Children"), ("sv", "Barn")]:
        for child in [uuid.uuid4() for _ in range(3)]:
            with translation.override(language):
                page = node.render(Context({"k": "x", "child": child}))
            path = reverse("people:child_detail", args=[child])
            assert page == f"{word} x <a href='{path}'>{child}</a>"
    assert len(calls) == 2  # once per language
    # Not a UUID: the block rendered with the value, not kept.
    assert node.render(Context({"k": "x", "child": "abc"})).endswith(">abc</a>")


@pytest.mark.parametrize(
    "shown", ["{{ child_id.hex }}", "{{ child_id.int }}", "{{ child_id.urn }}x"]
)
def test_fixed_for_renders_each_time_a_block_that_shows_the_id_otherwise(shown):
    node = Template("{% load fixed %}{% fixed_for child_id=child %}" + shown + "{% endfixed_for %}")
    for child in [uuid.uuid4(), uuid.uuid4()]:
        expected = Template("{{ c." + shown[len("{{ child_id.") :]).render(Context({"c": child}))
        assert node.render(Context({"child": child})) == expected


def _render_with(text: str, **values) -> str:
    return Template("{% load i18n fixed %}" + text).render(Context(values))


@pytest.mark.django_db
def test_the_menu_follows_each_request_user_page_and_language(world, login):
    melwin = reverse("people:child_detail", args=[world.children["melwin"].public_id])
    frida, gustav = login("frida"), login("gustav")
    children_link = f'<a href="{reverse("people:child_list")}" '
    for _ in range(2):  # the second round is given the blocks as first rendered
        page = frida.get(melwin).content.decode()
        assert 'aria-current="page">Barn</a>' in page
        assert 'aria-current="page">Start' not in page
        home = frida.get(reverse("web:home")).content.decode()
        assert 'aria-current="page">Start' in home and children_link in home
        assert '<option value="sv" selected lang="sv">Svenska</option>' in home
        audit = gustav.get(reverse("web:home")).content.decode()
        assert children_link not in audit and ">Loggkontroll</a>" in audit
        frida.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = frida.get(melwin).content.decode()
        assert 'aria-current="page">Children</a>' in page and ">Open the form</a>" in page
        assert '<option value="en" selected lang="en">English</option>' in page
        del frida.cookies[settings.LANGUAGE_COOKIE_NAME]
