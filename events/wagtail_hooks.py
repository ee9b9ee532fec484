from wagtail.snippets.models import register_snippet

from .views import AudienceViewSet, CategoryViewSet, EventProposalViewSet, VenueViewSet

register_snippet(VenueViewSet)
register_snippet(AudienceViewSet)
register_snippet(CategoryViewSet)
register_snippet(EventProposalViewSet)
