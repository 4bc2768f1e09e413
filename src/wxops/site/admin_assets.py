"""Two responses every Wagtail admin page asks for, made cheap to ask again (issue 16: a click
answers within 1 s; both sat inside the article edit page's load, on a 2-core machine whose
server and browser share the CPU).

- The JavaScript translation catalogue (``/admin/jsi18n/``) is a script in each page's ``<head>``
  that the page waits for; Django rebuilds it from every catalogue on each request (10–25 ms idle,
  70–120 ms measured under load). It depends only on the language, so each process builds it once
  per language, and answers with an ETag: the browser asks again and gets a 304 when nothing changed.
- The icon sprite (``/admin/sprite/?h=<hash>``, 65 KB) is fetched by every page, and Wagtail sends
  it without caching headers; its address changes with its content, so it is cached for a year.
"""

from __future__ import annotations

import hashlib

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language
from wagtail.admin.icons import get_icon_sprite_hash
from wagtail.admin.localization import get_localized_response
from wagtail.admin.views.home import sprite
from wagtail.admin.views.i18n import js_catalog

ONE_YEAR = 365 * 24 * 3600


#: language → (body, content type, ETag) of the catalogue, as this process first built it.
_CATALOGUES: dict[str, tuple[bytes, str, str]] = {}


def _catalogue_in_language(request):
    language = get_language()
    if language not in _CATALOGUES:
        # JavaScriptCatalog's answer depends on the active language alone (Wagtail's URL fixes
        # its packages and domain), so the first request's answer serves every later one.
        built = js_catalog(request)
        _CATALOGUES[language] = (built.content, built["Content-Type"],
                                 f'"{hashlib.sha256(built.content).hexdigest()[:16]}"')
    content, content_type, etag = _CATALOGUES[language]
    response = get_conditional_response(request, etag=etag) or HttpResponse(content, content_type=content_type)
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def javascript_catalog(request):
    """Wagtail's ``localized_js_catalog`` (the user's own admin language), built once per language."""
    return get_localized_response(_catalogue_in_language, request)


def icon_sprite(request):
    """Wagtail's sprite, cached by the browser for a year when asked for at its current hash."""
    response = sprite(request)
    if request.GET.get("h") == get_icon_sprite_hash():
        patch_cache_control(response, public=True, max_age=ONE_YEAR, immutable=True)
    return response
