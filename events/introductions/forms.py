from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NOTE_MAX_LENGTH


class IntroductionForm(forms.Form):
    """A few taps on a phone, during a conversation."""

    occurrence = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    submission = forms.UUIDField(widget=forms.HiddenInput)
    chosen_name = forms.CharField(
        max_length=40,
        label=_("The name they would like to be called"),
        help_text=_("A first name or nickname is enough. No surname."),
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
        label=_("A short note for whoever meets them (optional)"),
        help_text=_(
            "What will help them feel at ease, such as 'a bit nervous, likes to sit near the "
            "door'. Please write nothing about their health, treatment or any offence. "
            "At most %(limit)s characters; it is deleted soon after the date."
        )
        % {"limit": NOTE_MAX_LENGTH},
        error_messages={
            "max_length": _(
                "Please keep the note to %(limit_value)d characters or fewer "
                "(it has %(show_value)d)."
            )
        },
    )
    pass_code = forms.CharField(
        required=False,
        max_length=500,
        label=_("Their pass, if they have one (optional)"),
        help_text=_("Paste the link from their pass. Leave it empty and we make them one."),
    )
    consent = forms.BooleanField(
        required=False,
        label=_("They agree"),
    )
    share_other_groups = forms.BooleanField(
        required=False,
        label=_("They also agree to the number of other groups being shared"),
    )
