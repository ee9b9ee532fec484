"""Check-in views, one module a job: `passes`, the participant's own `record`, the door
`scanner` and its JSON, `attendance` (lists, exports, the council's corrections), and the
`poster` with self check-in. Access to a date is decided in `managed` (one decorator).

Views parse the request, call one selector or service, and render. Who may scan for an
event and see its attendance is decided in permissions.py and nowhere else.
"""
