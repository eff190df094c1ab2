"""Reply panels that the intake screens (below this app) place by name: officer and citizen."""

from django import template

register = template.Library()


@register.inclusion_tag("responses/case_panel.html", takes_context=True)
def case_replies(context, case):
    """The officer's reply panel on the case page (placeholder until the responses app lands)."""
    return {"case": case, "request": context.get("request")}


@register.inclusion_tag("responses/citizen_panel.html", takes_context=True)
def citizen_replies(context, report):
    """The replies and the verdict form on the citizen's tracking page (placeholder)."""
    return {"report": report, "request": context.get("request")}
