"""Which language a request is answered in, and where the same page is in another language.

Public pages carry their language in the address (English at /, Welsh at /cy/..., Dutch at
/nl/...: i18n_patterns in site/urls.py). A pass, the door and the admin have one address in
every language (a QR code cannot change with the reader's language): there the language is
the one the person chose with the switcher (Django's language cookie), else their browser's.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers


def is_unprefixed(path: str) -> bool:
    """Whether an address is one of those with no language prefix (settings.UNPREFIXED_PATHS)."""
    return path.startswith(tuple(settings.UNPREFIXED_PATHS))


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, but an unprefixed address takes the chosen (or the browser's) language.

    Django's own gives every address without a prefix the default language once any
    i18n_patterns are in use, which would show a Welsh speaker's pass in English.
    """

    def process_request(self, request):
        if not is_unprefixed(request.path_info):
            return super().process_request(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if not is_unprefixed(request.path_info):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def page_for_path(path: str, request=None):
    """Give the Wagtail page an address shows, or None (any other view, or no page)."""
    from wagtail.models import Page, Site

    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name != "wagtail_serve":
        return None
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(language):
        root = site.root_page.localized
    parts = [part for part in match.kwargs.get("path", "").split("/") if part]
    page = root.specific
    try:
        for slug in parts:
            page = page.get_children().get(slug=slug).specific
    except Page.DoesNotExist:
        return None
    return page


def url_in_language(url: str, language: str, request=None) -> str:
    """Give the same address in another language, its query string kept.

    A page goes to its translation (whose slug may differ), or to itself in that language's
    interface where there is none yet; any other public address gets that language's prefix.
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    # The address is read in its own language (only /nl/... matches under Dutch).
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        return _url_in_language(parts, path, language, request)


def _url_in_language(parts, path: str, language: str, request) -> str:
    page = page_for_path(path, request)
    if page is not None:
        from wagtail.models import Locale

        try:
            locale = Locale.objects.get_for_language(language)
            target = page.get_translation(locale)
        except (ObjectDoesNotExist, LookupError):
            target = None
        if target is not None and target.live:
            with translation.override(language):
                new_path = target.get_url(request=request) or path
            return urlunsplit(("", "", new_path, parts.query, parts.fragment))
        # No translation yet: the same page, in that language's interface.
        bare = strip_language(path)
        with translation.override(language):
            prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
        return urlunsplit(("", "", prefix + bare, parts.query, parts.fragment))
    if is_unprefixed(path):
        return urlunsplit(("", "", path, parts.query, parts.fragment))
    return translate_url(urlunsplit(("", "", path, parts.query, parts.fragment)), language)


def strip_language(path: str) -> str:
    """Give an address without its language prefix: /cy/groups/ -> /groups/."""
    language = translation.get_language_from_path(path)
    if language and language != settings.LANGUAGE_CODE:
        rest = path[len(language) + 1 :]
        return rest if rest.startswith("/") else "/" + rest
    return path


_LOCALE_IDS: dict[str, int | None] = {}


def active_locale_id() -> int | None:
    """Give the id of the Wagtail Locale of the language shown (kept: locales seldom change).

    Wagtail's own Locale.get_active() asks the database every time; templates that need the
    locale for every menu or listing use this. home/signals.py forgets it when a locale
    is saved or deleted.
    """
    from wagtail.models import Locale

    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in _LOCALE_IDS:
        try:
            _LOCALE_IDS[language] = Locale.objects.get_for_language(language).pk
        except (Locale.DoesNotExist, LookupError):
            return None
    return _LOCALE_IDS[language]


def forget_locale_ids(**kwargs) -> None:
    _LOCALE_IDS.clear()
    _LOCALE_LANGUAGES.clear()


def default_locale_id() -> int | None:
    """Give the id of the Locale of the site's default language (LANGUAGE_CODE), kept."""
    with translation.override(settings.LANGUAGE_CODE):
        return active_locale_id()


_LOCALE_LANGUAGES: dict[int, str] = {}


def locale_language(locale_id: int) -> str:
    """Give a Locale's language code from its id (kept, like active_locale_id): "cy"."""
    from wagtail.models import Locale

    if locale_id not in _LOCALE_LANGUAGES:
        _LOCALE_LANGUAGES.update(Locale.objects.values_list("pk", "language_code"))
    return _LOCALE_LANGUAGES.get(locale_id, settings.LANGUAGE_CODE)
