from wagtail.snippets.models import register_snippet

from .views import AudienceViewSet, VenueViewSet

register_snippet(VenueViewSet)
register_snippet(AudienceViewSet)
