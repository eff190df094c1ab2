"""Form rendering shared by every app: one field template with a wrapper per field."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Render each field inside a wrapper, checkboxes with their label after the box."""

    field_template_name = "forms/field.html"
