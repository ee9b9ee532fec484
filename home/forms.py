"""The project's form renderer: every public form field renders through one template.

`{{ form.name.as_field_group }}` (or `{{ field.as_field_group }}` in a loop) gives the label,
the help text (id `<id>-help`), the errors (id `<id>-error`) and the widget, with the widget's
`aria-describedby` pointing at those ids.
"""

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


class DescribedBoundField(BoundField):
    """A bound field whose `aria-describedby` names the ids forms/field.html gives."""

    @property
    def aria_describedby(self):
        # An aria-describedby set on the widget wins, as in Django's own BoundField.
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(f"{self.auto_id}-help")
            if self.errors:
                ids.append(f"{self.auto_id}-error")
        return " ".join(ids)


class FormRenderer(TemplatesSetting):
    """Templates come from settings.TEMPLATES, so templates/forms/field.html is found."""

    field_template_name = "forms/field.html"
    bound_field_class = DescribedBoundField
