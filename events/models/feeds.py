from django.db import models

from .events import EventPage


class FeedEntry(models.Model):
    """An event's VEVENTs as the iCal feeds write them, kept so no feed request builds them.

    Written when the event is published (and when its venue, categories or host group
    change); a feed is then one query over these texts, whatever the number of events.
    ``source`` is what the text was made from (format, language, live revision, sequence,
    URL path), as plain text the feed query compares in SQL, as it compares ``written_at``
    with the event's last publish: an entry that no longer matches its event (an edit made
    outside the publish flow) is written again by the next feed that holds it, and no
    request re-checks entries in Python. See events.feeds.
    """

    event = models.OneToOneField(
        EventPage, primary_key=True, on_delete=models.CASCADE, related_name="feed_entry"
    )
    source = models.TextField()
    tz = models.CharField(max_length=50)
    # The years the VEVENTs reach, comma-separated: what the feed's VTIMEZONE must cover.
    years = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    written_at = models.DateTimeField()

    def __str__(self):
        return f"Feed entry of event {self.event_id}"
