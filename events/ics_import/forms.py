from django import forms
from django.utils.translation import gettext_lazy as _

from .parse import MAX_BYTES


class ImportForm(forms.Form):
    """Which group, and the calendar: its address or a file."""

    group = forms.TypedChoiceField(label=_("Group"), coerce=int, choices=())
    url = forms.CharField(
        label=_("Your calendar's iCal address"),
        required=False,
        max_length=2000,
        help_text=_(
            "In Google Calendar: Settings, your calendar, “Public address in iCal format”. "
            "In Outlook: Settings, Calendar, Shared calendars, “Publish a calendar”, ICS link."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://…/basic.ics"}),
    )
    file = forms.FileField(
        label=_("Or upload a .ics file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, g.title) for g in groups]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("This file is larger than %(mb)s MB. Please export a shorter period.")
                % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError(
                _("Please give your calendar's address, or upload its file (one of the two).")
            )
        return data


class ConfirmForm(forms.Form):
    pending = forms.UUIDField(widget=forms.HiddenInput)
