"""Macro imports answer as Jinja's own do: the cached module when the importing context has no
global the imported template lacks, a module of its own when it has one."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from charter.template_imports import Template

TEMPLATES = {
    "macros.html": "{% macro greet() %}{{ greeting }}, {{ extra | default('none') }}{% endmacro %}",
    "page.html": '{% from "macros.html" import greet %}{{ greet() }}',
}


def _environment() -> Environment:
    environment = Environment(loader=DictLoader(TEMPLATES))
    environment.template_class = Template
    environment.globals["greeting"] = "Hello"
    return environment


def test_a_context_with_the_same_globals_gets_the_cached_module():
    environment = _environment()
    macros = environment.get_template("macros.html")
    first = macros._get_default_module()
    context = environment.get_template("page.html").new_context()
    assert macros._get_default_module(context) is first


def test_a_global_the_imported_template_lacks_gets_a_module_of_its_own():
    environment = _environment()
    environment.get_template("macros.html").render()  # its module cached without "extra"
    page = environment.get_template("page.html", globals={"extra": "from the page"})
    assert page.render() == "Hello, from the page"


def test_the_app_renders_with_it(app):
    assert app.jinja_env.template_class is Template
