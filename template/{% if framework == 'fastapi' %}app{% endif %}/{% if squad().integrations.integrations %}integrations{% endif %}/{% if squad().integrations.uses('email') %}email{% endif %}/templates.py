"""Message templates (Jinja): a subject, a text part and an HTML part each; HTML is autoescaped, text is not.

The templates are kept in Python so they ship with any install (a wheel leaves stray .html files out).
Add one by adding its three keys: ``<name>.subject``, ``<name>.txt`` and ``<name>.html``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

_LAYOUT = """<!doctype html>
<html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #222; max-width: 560px; margin: 0 auto;">
{% block body %}{% endblock %}
<p style="color: #888; font-size: 12px;">{{ app_name }}</p>
</body></html>
"""

TEMPLATES: dict[str, str] = {
    "layout.html": _LAYOUT,
    "welcome.subject": "Welcome to {{ app_name }}",
    "welcome.txt": """Hello {{ name or email }},

Your {{ app_name }} account for {{ email }} is ready.
{%- if login_url %}

Sign in: {{ login_url }}
{%- endif %}

If you did not create this account, you can ignore this message.
""",
    "welcome.html": """{% extends "layout.html" %}{% block body %}
<p>Hello {{ name or email }},</p>
<p>Your {{ app_name }} account for <strong>{{ email }}</strong> is ready.</p>
{%- if login_url %}
<p><a href="{{ login_url }}">Sign in</a></p>
{%- endif %}
<p>If you did not create this account, you can ignore this message.</p>
{% endblock %}""",
    "password_reset.subject": "Reset your {{ app_name }} password",
    "password_reset.txt": """Hello,

Someone asked to reset the password of the {{ app_name }} account for {{ email }}.
Open this link within {{ expires_minutes }} minutes to choose a new one:

{{ reset_url }}

If it was not you, ignore this message: your password stays the same.
""",
    "password_reset.html": """{% extends "layout.html" %}{% block body %}
<p>Hello,</p>
<p>Someone asked to reset the password of the {{ app_name }} account for <strong>{{ email }}</strong>.
Open this link within {{ expires_minutes }} minutes to choose a new one:</p>
<p><a href="{{ reset_url }}">Reset my password</a></p>
<p>If it was not you, ignore this message: your password stays the same.</p>
{% endblock %}""",
}

# StrictUndefined: a misspelt variable fails loudly instead of sending "Hello ," to a customer.
_environment = Environment(
    loader=DictLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(template: str, /, **context: Any) -> RenderedEmail:
    """Render the subject, text and HTML of ``template`` with ``context``."""
    subject = _environment.get_template(f"{template}.subject").render(context)
    return RenderedEmail(
        subject=" ".join(subject.split()),  # one line: a header cannot hold line breaks
        text=_environment.get_template(f"{template}.txt").render(context),
        html=_environment.get_template(f"{template}.html").render(context),
    )
