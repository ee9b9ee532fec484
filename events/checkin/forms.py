from django import forms
from django.utils.translation import gettext_lazy as _

from home.fields import BoundedModelMultipleChoiceField

from .models import Role


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
