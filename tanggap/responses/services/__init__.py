"""Writes for replies (replies.py) and for the reporter's verdict on them (verdicts.py)."""

from .replies import (
    MAX_BODY,
    MIN_BODY,
    MIN_NOTE,
    reply_approve,
    reply_draft_save,
    reply_publish,
    reply_return,
    reply_submit,
    reply_template_render,
    template_values,
)
from .verdicts import MAX_COMMENT, MIN_OBJECTION, verdict_record

__all__ = [
    "MAX_BODY",
    "MAX_COMMENT",
    "MIN_BODY",
    "MIN_NOTE",
    "MIN_OBJECTION",
    "reply_approve",
    "reply_draft_save",
    "reply_publish",
    "reply_return",
    "reply_submit",
    "reply_template_render",
    "template_values",
    "verdict_record",
]
