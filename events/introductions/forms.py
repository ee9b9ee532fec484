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


class NavigatorOrganisationForm(forms.Form):
    """The council makes a group's page a navigator organisation."""

    organisation = forms.ModelChoiceField(
        queryset=None,
        label=_("Organisation"),
        help_text=_(
            "A probation service, a health partner, a lived-experience organisation: any "
            "group with a page. Its navigators will be able to make introductions and nothing "
            "else."
        ),
        error_messages={
            "required": _("Please choose an organisation."),
            "invalid_choice": _(
                "That organisation has no page here. Please choose one from the list."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        from events.models import GroupPage

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = GroupPage.objects.order_by("title")

    def clean_organisation(self):
        from .models import NavigatorOrganisation

        organisation = self.cleaned_data["organisation"]
        if NavigatorOrganisation.objects.filter(organisation=organisation).exists():
            raise forms.ValidationError(
                _(
                    "%(name)s is already a navigator organisation. Open it in the list "
                    "below to add or remove its navigators."
                )
                % {"name": organisation.title}
            )
        return organisation


class NavigatorAddForm(forms.Form):
    """The council adds an existing user to an organisation's navigators."""

    username = forms.CharField(
        max_length=150,
        label=_("Their username"),
        help_text=_("They need an account here first."),
        error_messages={"required": _("Please give the navigator's username.")},
    )

    def clean_username(self):
        from django.contrib.auth import get_user_model

        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _(
                    "No one here has the username “%(username)s”. Please check the spelling, "
                    "or ask them to make an account first."
                )
                % {"username": username}
            )
        self.user = user
        return username
