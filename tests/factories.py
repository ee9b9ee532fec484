"""Factories for test data (factory_boy and wagtail-factories)."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from events.models import GroupIndexPage, GroupKind, GroupPage, Venue
from home.models import HomePage, StandardPage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "password")
        if create:
            self.save(update_fields=["password"])


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Welcome"
    slug = "city"
    introduction = "Recovery is visible here."


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Page {n}")


class GroupIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = GroupIndexPage

    title = "Groups"
    slug = "groups"


class GroupPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = GroupPage

    title = factory.Sequence(lambda n: f"Group {n}")
    summary = "A friendly group where everyone is welcome."
    kind = GroupKind.COMMUNITY


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    address_line_1 = "1 High Street"
    town = "Northbridge"
    postcode = "LS1 4AP"
    step_free = True


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "stories.StoryIndexPage"

    title = "Recovery stories"
    slug = "stories"


class StoryPageFactory(wagtail_factories.PageFactory):
    """A published story; pass live=False for a draft."""

    class Meta:
        model = "stories.StoryPage"

    title = factory.Sequence(lambda n: f"Story {n}")
    summary = "What changed, in a sentence."
    teller_naming = "first_name"
    teller_name = "Sam"
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>The day things started to change for me.</p>")]
    )


class OccurrenceFactory(factory.django.DjangoModelFactory):
    """A date of an event (pass event=...); starts an hour ago and ends in an hour."""

    class Meta:
        model = "events.Occurrence"

    start = factory.LazyFunction(lambda: _now() - _timedelta(hours=1))
    original_start = factory.LazyAttribute(lambda o: o.start)
    end = factory.LazyAttribute(lambda o: o.start + _timedelta(hours=2))


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "checkin.Participant"

    nickname = factory.Sequence(lambda n: f"Sam {n}")


class PassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "checkin.Pass"

    participant = factory.SubFactory(ParticipantFactory)
    created_by = "self"


def _now():
    from django.utils import timezone

    return timezone.now()


def _timedelta(**kwargs):
    from datetime import timedelta

    return timedelta(**kwargs)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Category"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class EventPageFactory(wagtail_factories.PageFactory):
    """An EventPage (pass parent=a GroupPage): weekly on Tuesdays, 7 to 9pm, by default.

    Publish it (the `make_event` fixture in tests/events/conftest.py does) to store its dates.
    """

    class Meta:
        model = "events.EventPage"

    title = factory.Sequence(lambda n: f"Event {n}")
    summary = "Come along: everyone is welcome."
    start_date = datetime.date(2026, 1, 6)
    start_time = datetime.time(19, 0)
    end_time = datetime.time(21, 0)
    frequency = "weekly"
    weekdays = "TU"
