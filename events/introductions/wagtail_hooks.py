from wagtail import hooks

from home.audit.retention import RETENTION_HOOK

from .retention import introductions_retention

# Before check-in's step (order 0): the outcome is read from attendance that step erases.
hooks.register(RETENTION_HOOK, introductions_retention, order=-10)
