from wagtail import hooks

from .choosers import page_chooser_queryset

hooks.register("construct_page_chooser_queryset", page_chooser_queryset)
