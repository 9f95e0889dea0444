"""The Content-Security-Policy of each answer: settings.CONTENT_SECURITY_POLICY, plus what the
request's app asked for (`request.csp_sources`, e.g. a site's Metrika counter) and, in the admin,
the editor's stylesheet (`CSP_ADMIN_STYLE_HASHES`).

Reader pages are stored whole by the page cache and by the front proxy, so their HTML must not
depend on the request: they carry no nonce and run scripts from files only. The admin is never
stored; its rich-text editor needs a nonce for its import map (`with_admin_nonce`).
"""

from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from js_asset import Media

# A directive → sources mapping, added to the configured policy.
Sources = dict[str, list[str]]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        sources: Sources = dict(getattr(request, "csp_sources", None) or {})
        match = getattr(request, "resolver_match", None)
        if match is not None and "admin" in match.app_names:
            sources["style-src"] = [*sources.get("style-src", []), *settings.CSP_ADMIN_STYLE_HASHES]
        if sources:
            update: dict[str, Any] = dict(parts.update or {})
            for directive, added in sources.items():
                update[directive] = [*update.get(directive, []), *added]
            parts.update = update
        return parts


def with_admin_nonce(media, request: HttpRequest):
    """The admin form's media with the request's nonce on its tags: django-prose-editor's
    `<script type="importmap">` is inline, and a browser runs it only with the nonce.

    Django 5.2's admin renders `{{ media }}` without a nonce (6.0 passes one), so the nonce
    travels in js_asset's Media, which the editor's widget media already is."""
    nonce = getattr(request, "csp_nonce", None)
    if nonce is None or not isinstance(media, Media):
        return media
    return media.with_nonce(nonce)
