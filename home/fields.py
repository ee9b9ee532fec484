"""Form fields shared by the public forms."""

from django import forms

from .converters import MAX_ID, parse_id

__all__ = ["MAX_ID", "BoundedModelMultipleChoiceField"]


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of model rows that refuse anything but ids a database column could hold.

    Django's own field sends any digits to the database, where an id past 64 bits raises
    OverflowError (SQLite) or DataError (PostgreSQL), and "²" passes `str.isdigit()` but not
    `int()`: a 500 instead of a form error. Values that are not ids (ASCII digits, at most
    2**63-1) are an invalid choice, with the field's own message.
    """

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if parse_id(pk) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)
