from django.db import models

from .events import EventPage


class FeedEntry(models.Model):
    """An event's VEVENTs as the iCal feeds write them, kept so no feed request builds them.

    Written when the event is published (and when its venue, categories or host group
    change); a feed is then one query over these texts, whatever the number of events.
    ``source`` fingerprints the event columns the text was made from: an entry that no
    longer matches its event (a page moved, an edit made outside the publish flow) is
    written again by the next feed that holds it. See events.feeds.
    """

    event = models.OneToOneField(
        EventPage, primary_key=True, on_delete=models.CASCADE, related_name="feed_entry"
    )
    source = models.CharField(max_length=40)
    tz = models.CharField(max_length=50)
    # The years the VEVENTs reach, comma-separated: what the feed's VTIMEZONE must cover.
    years = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    written_at = models.DateTimeField()

    def __str__(self):
        return f"Feed entry of event {self.event_id}"
