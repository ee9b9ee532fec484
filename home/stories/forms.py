"""The public 'tell your story' form and the story index filters."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from PIL import Image as PillowImage
from wagtail.images.fields import WagtailImageField

from events.models import GroupPage
from home.fields import BoundedModelMultipleChoiceField

from .models import Pathway, StorySubmission, Theme
from .naming import Naming
from .text import clean_plain_text, content_fingerprint

# What a teller agrees to, word for word; the ticked sentences are stored with the time.
CONSENTS = {
    "consent_publish": _(
        "I agree that the city council may publish my story on this website and in its "
        "news feed, named the way I chose, and show it with the groups and events I picked."
    ),
    "consent_edit": _(
        "I agree that the council may make small edits before publishing: for length, or "
        "to remove details that could identify me or anyone else."
    ),
    "consent_others": _(
        "This is my own story. I have not named other people, or they have said I may."
    ),
}


# Checkboxes of rows by id, refusing anything the database could not even hold.
IdChoicesField = BoundedModelMultipleChoiceField


class StoryPhotoField(WagtailImageField):
    """Wagtail's image field (its formats and size limits), with words for the public."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose = _("Please choose a JPEG, PNG or WebP photo.")
        self.error_messages.update(
            {
                "invalid_image": _(
                    "We could not read this file as a photo. Please choose a JPEG, PNG or "
                    "WebP photo."
                ),
                "invalid_extension": choose,
                "invalid_image_extension": choose,
                "invalid_image_known_format": _(
                    "This file is not the .%(extension)s photo its name says (it is "
                    "%(image_format)s). Please choose a JPEG, PNG or WebP photo."
                ),
                "file_too_large": _(
                    "This photo is too big (%(file_size)s). Please send one under "
                    "%(max_filesize)s: a phone's “medium” or “large” size is plenty."
                ),
                "file_too_large_unknown_size": _(
                    "This photo is too big. Please send one under %(max_filesize)s."
                )
                % {"max_filesize": self.max_upload_size_text},
                "file_too_many_pixels": _(
                    "This photo has too many pixels (%(num_pixels)s). Please send a smaller "
                    "copy, under %(max_pixels_count)s pixels."
                ),
            }
        )

    def to_python(self, data):
        # Wagtail checks the header; the photo is re-encoded on saving, so it must also
        # decode in full: a broken or truncated file is refused here, not a 500 later.
        try:
            photo = super().to_python(data)
            if photo is not None:
                photo.seek(0)
                with PillowImage.open(photo) as image:
                    image.load()
                photo.seek(0)
        except forms.ValidationError:
            raise
        except Exception as error:  # noqa: BLE001 (Pillow raises many kinds)
            raise forms.ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error
        return photo


def _photo_field() -> StoryPhotoField:
    # Made per form, so it reads the upload limits as they are now.
    field = StoryPhotoField(required=False, label=_("A photo (optional)"))
    # After Wagtail's own (technical) help text is set.
    field.help_text = _(
        "A JPEG, PNG or WebP image up to %(size)s. Please choose one where nobody else can "
        "be recognised. We remove the hidden details phones keep in photos, such as where "
        "they were taken."
    ) % {"size": field.max_upload_size_text}
    return field


class StoryTellForm(forms.Form):
    # Step 1: the story
    title = forms.CharField(
        max_length=120,
        label=_("A title for your story"),
        help_text=_("A few words, for example “The morning I put my running shoes on”."),
    )
    story = forms.CharField(
        min_length=50,
        max_length=12_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        label=_("Your story"),
        help_text=_(
            "In your own words: what changed, who or what helped, what you would say to "
            "someone starting out. Leave a blank line between paragraphs. Up to about "
            "2,000 words."
        ),
    )
    photo = _photo_field()
    photo_description = forms.CharField(
        required=False,
        max_length=200,
        label=_("What the photo shows (needed if you send one)"),
        help_text=_("For people who cannot see it, e.g. “Trainers on a muddy path”."),
    )
    # Step 2: what it speaks to
    pathways = IdChoicesField(
        queryset=Pathway.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Which of these does your story speak to?"),
    )
    themes = IdChoicesField(
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Which themes come into it?"),
    )
    groups = IdChoicesField(
        queryset=GroupPage.objects.none(),  # set per form: public() queries at once
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Were any of these groups part of your story?"),
    )
    content_note = forms.CharField(
        required=False,
        max_length=250,
        label=_("Content note (optional)"),
        help_text=_(
            "If your story mentions things some readers may find hard, such as self-harm "
            "or violence, tell readers here. We show it before the story."
        ),
    )
    # Step 3: how to be named
    naming = forms.ChoiceField(
        choices=Naming.choices,
        widget=forms.RadioSelect,
        label=_("How would you like to be named?"),
    )
    name = forms.CharField(
        required=False,
        max_length=80,
        label=_("The name to show"),
        help_text=_("Leave this empty if you chose “anonymous”."),
    )
    # Step 4: staying in touch (optional, never published)
    contact_email = forms.EmailField(required=False, label=_("Email (optional)"))
    contact_phone = forms.CharField(required=False, max_length=40, label=_("Phone (optional)"))
    # Step 5: consent
    consent_publish = forms.BooleanField(label=CONSENTS["consent_publish"])
    consent_edit = forms.BooleanField(label=CONSENTS["consent_edit"])
    consent_others = forms.BooleanField(label=CONSENTS["consent_others"])
    # Machinery: a double submit is recognised by this key; people leave `website` empty.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    STEPS = [
        (_("Your story"), ["title", "story", "photo", "photo_description"]),
        (_("What it speaks to"), ["pathways", "themes", "groups", "content_note"]),
        (_("How you want to be named"), ["naming", "name"]),
        (_("Staying in touch (optional)"), ["contact_email", "contact_phone"]),
        (_("Your agreement"), ["consent_publish", "consent_edit", "consent_others"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"] = _photo_field()
        self.fields["groups"].queryset = GroupPage.objects.live().public().order_by("title")
        for name in ("title", "story", "name", "content_note", "photo_description"):
            self.fields[name].strip = True
        self.fields["story"].error_messages["min_length"] = _(
            "Your story is very short. Please write at least a few sentences "
            "(%(limit_value)d characters or more)."
        )
        self.fields["story"].error_messages["max_length"] = _(
            "Your story is longer than we can take (%(limit_value)d characters). Please "
            "shorten it, or send it in two parts."
        )

    def steps(self):
        """Give (number, heading, bound fields) for each numbered step of the form."""
        return [
            (number, heading, [self[name] for name in names])
            for number, (heading, names) in enumerate(self.STEPS, start=1)
        ]

    def _clean_text(self, name, *, multiline=False, required=False):
        value = clean_plain_text(self.cleaned_data.get(name, ""), multiline=multiline)
        if required and not value:
            raise forms.ValidationError(
                _("Please write this in plain words: web code and scripts are removed.")
            )
        return value

    def clean_title(self):
        return self._clean_text("title", required=True)

    def clean_story(self):
        story = self._clean_text("story", multiline=True, required=True)
        if len(story) < 50:
            raise forms.ValidationError(
                _("Your story is very short. Please write at least a few sentences.")
            )
        return story

    def clean_name(self):
        return self._clean_text("name")

    def clean_content_note(self):
        return self._clean_text("content_note")

    def clean_photo_description(self):
        return self._clean_text("photo_description")

    def clean_contact_phone(self):
        return self._clean_text("contact_phone")

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(
                _("Please leave the field headed “Leave this empty” empty, then send again.")
            )
        return ""

    def clean(self):
        data = super().clean()
        naming, name = data.get("naming"), data.get("name", "")
        if naming and naming != Naming.ANONYMOUS and not name:
            self.add_error("name", _("Please give the name to show, or choose “No name at all”."))
        if naming == Naming.ANONYMOUS:
            data["name"] = ""
        if data.get("title") and data.get("story"):
            data["content_hash"] = content_fingerprint(data["title"], data["story"])
            key = data.get("submission_key")
            repeat = StorySubmission.objects.same_words_recently(data["content_hash"])
            if key and repeat.exclude(idempotency_key=key).exists():
                raise forms.ValidationError(
                    _(
                        "We already have a story with exactly these words, sent in the last "
                        "day, so there is no need to send it again. If you kept your private "
                        "link, you can see how it is getting on there."
                    ),
                    code="repeat",
                )
        if data.get("photo") and not data.get("photo_description"):
            self.add_error(
                "photo_description", _("Please say in a few words what the photo shows.")
            )
        return data

    def consent_text(self) -> str:
        """Give the sentences the teller agreed to, as stored with their submission."""
        return "\n".join(str(text) for name, text in CONSENTS.items() if self.cleaned_data[name])


class StoryFilterForm(forms.Form):
    pathway = forms.ModelChoiceField(
        queryset=Pathway.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All pathways"),
        label=_("Pathway"),
        error_messages={
            "invalid_choice": _("We don’t have that pathway. Showing every story instead.")
        },
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
        label=_("Theme"),
        error_messages={
            "invalid_choice": _("We don’t have that theme. Showing every story instead.")
        },
    )


class StoryWithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, take my story down now."),
        error_messages={"required": _("Please tick the box to confirm, then press the button.")},
    )
