from wagtail.snippets.models import register_snippet

from .viewsets import StoriesViewSetGroup

register_snippet(StoriesViewSetGroup)
