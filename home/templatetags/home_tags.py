from django import template
from django.utils.translation import gettext as _
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Give the live pages under the site's root that are marked 'show in menus'."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    # The home page in the language shown (its translation, or the original if none).
    from home.locale import active_locale_id

    root = site.root_page
    locale_id = active_locale_id()
    if locale_id is not None and root.locale_id != locale_id:
        root = root.get_translation_or_none(locale_id) or root
    return list(root.get_children().live().in_menu().specific())


@register.simple_tag(takes_context=True)
def home_url(context):
    """Give the home page's address in the language shown: /, /cy/ or /nl/."""
    from django.urls import reverse

    return reverse("wagtail_serve", args=[""])


@register.filter
def page_kind(page) -> str:
    """A search result's kind in plain words ("Event", "Group", "Story"), not a model's name."""
    kinds = {
        "eventpage": _("Event"),
        "grouppage": _("Group"),
        "storypage": _("Story"),
        "calendarpage": _("Calendar"),
        "storyindexpage": _("Stories"),
        "groupindexpage": _("Groups"),
    }
    return kinds.get(page.specific_class._meta.model_name, _("Page"))


@register.simple_tag(takes_context=True)
def language_versions(context):
    """Give this page in every language: [{code, name, url, current}], its query kept.

    For the switcher and the hreflang alternates, worked out once per request (one query
    for a Wagtail page's translations, none for any other view). A page goes to its
    translation, or to itself in that language's interface where it has none yet.
    """
    from django.conf import settings
    from django.urls import translate_url
    from django.utils import translation
    from wagtail.models import Page

    from home.locale import strip_language

    request = context.get("request")
    if request is None:
        return []
    if hasattr(request, "_language_versions"):
        return request._language_versions
    current = translation.get_language()
    page = context.get("page")
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    translations = {}
    if isinstance(page, Page) and page.pk:
        for other in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[other.locale.language_code] = other
    versions = []
    for code, name in settings.LANGUAGES:
        if code in translations:
            with translation.override(code):
                url = (translations[code].get_url(request=request) or "/") + suffix
        elif translations or isinstance(page, Page):
            # No translation yet: the same page, in that language's interface.
            prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
            url = prefix + strip_language(request.path) + suffix
        else:
            url = translate_url(request.get_full_path(), code)
        versions.append({"code": code, "name": name, "url": url, "current": code == current})
    request._language_versions = versions
    return versions
