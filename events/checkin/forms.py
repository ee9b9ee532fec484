from django import forms
from django.utils.translation import gettext_lazy as _

from home.fields import BoundedModelMultipleChoiceField

from .models import Pass, Role
from .tokens import Kind, read_scanned


class RolesMixin(forms.Form):
    roles = BoundedModelMultipleChoiceField(
        queryset=Role.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("How do you take part in the community? (optional)"),
        help_text=_("Tick any that fit, or none. This helps the city see who comes together."),
    )
    consent = forms.BooleanField(
        required=False,
        label=_(
            "I agree that this is recorded with my check-ins. I can change my mind at any time."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("roles") and not data.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Please tick the box to agree, or untick the roles: we only keep them with your agreement."
                ),
            )
        return data


class PassForm(RolesMixin):
    nickname = forms.CharField(
        max_length=40,
        label=_("Nickname"),
        help_text=_("Any name you like. Organisers see it when they check you in."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "autocapitalize": "words"}),
    )
    email = forms.EmailField(
        required=False,
        label=_("Email (optional)"),
        help_text=_("Only if you want it. Organisers never see it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["nickname", "email", "roles", "consent"]

    def clean_nickname(self):
        nickname = self.cleaned_data["nickname"].strip()
        if not nickname:
            raise forms.ValidationError(_("Please choose a nickname."))
        return nickname


class DoorPassForm(forms.Form):
    nickname = forms.CharField(
        max_length=40,
        label=_("Their nickname"),
        help_text=_("Any name they choose. Nothing else is needed."),
    )

    def clean_nickname(self):
        nickname = self.cleaned_data["nickname"].strip()
        if not nickname:
            raise forms.ValidationError(_("Please type the nickname they chose."))
        return nickname


class ClaimForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label=_("The code printed under your QR code"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class CorrectionForm(forms.Form):
    """The council's correction of a date's record: a pass, people with no record, or both."""

    code = forms.CharField(
        required=False,
        max_length=500,
        label=_("Their pass (a link or code), if they have one"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    people = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        initial=0,
        label=_("People to count with no record"),
    )
    reason = forms.CharField(
        max_length=200,
        label=_("Why the record needs correcting"),
        help_text=_(
            "Kept in the audit log with your name, for example “the scanner had no signal”."
        ),
    )

    participant = None

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code:
            return ""
        scanned = read_scanned(code)
        found = None
        if scanned.kind is Kind.PASS and not scanned.error:
            found = (
                Pass.objects.select_related("participant").filter(token_id=scanned.value).first()
            )
        if found is None:
            raise forms.ValidationError(
                _("That is not a pass we know. Please paste the whole pass link and try again.")
            )
        self.participant = found.participant
        return code

    def clean_people(self):
        return self.cleaned_data["people"] or 0

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("code") and not data.get("people"):
            raise forms.ValidationError(
                _("Please give a pass, or a number of people to count, or both.")
            )
        return data
