"""Form fields shared by the public forms."""

from django import forms

# The largest id a 64-bit integer column holds (SQLite's and PostgreSQL's bigint).
MAX_ID = 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of model rows that refuse ids no database column could hold.

    Django's own field sends any digits to the database, where an id past 64 bits raises
    OverflowError (SQLite) or DataError (PostgreSQL): a 500 instead of a form error.
    """

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                text = str(pk).strip()
                if text.lstrip("-").isdigit() and abs(int(text)) > MAX_ID:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)
