"""The calendar the import tests read: every kind of date a group's calendar has."""

SAMPLE = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//Group calendar//EN\r
BEGIN:VEVENT\r
UID:cafe-weekly@example.org\r
SUMMARY:Recovery cafe\r
DESCRIPTION:Tea\\, toast and good company.\\nEveryone welcome.\r
LOCATION:St Mark's Hall\r
DTSTART;TZID=Europe/London:20260106T190000\r
DTEND;TZID=Europe/London:20260106T210000\r
RRULE:FREQ=WEEKLY;BYDAY=TU\r
EXDATE;TZID=Europe/London:20260407T190000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:cafe-weekly@example.org\r
RECURRENCE-ID;TZID=Europe/London:20260331T190000\r
SUMMARY:Recovery cafe (moved)\r
DTSTART;TZID=Europe/London:20260401T180000\r
DTEND;TZID=Europe/London:20260401T200000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:cafe-weekly@example.org\r
RECURRENCE-ID;TZID=Europe/London:20261027T190000\r
SUMMARY:Recovery cafe\r
STATUS:CANCELLED\r
DESCRIPTION:The hall is closed for repairs.\r
DTSTART;TZID=Europe/London:20261027T190000\r
DTEND;TZID=Europe/London:20261027T210000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:walk-fortnightly@example.org\r
SUMMARY:Fortnightly walk\r
DTSTART;TZID=Europe/London:20260110T100000\r
DTEND;TZID=Europe/London:20260110T120000\r
RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;UNTIL=20261231T235959Z\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:families-monthly@example.org\r
SUMMARY:Family circle\r
DTSTART;TZID=Europe/London:20260108T183000\r
DTEND;TZID=Europe/London:20260108T200000\r
RRULE:FREQ=MONTHLY;BYDAY=2TH\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:fun-day@example.org\r
SUMMARY:Recovery fun day\r
DTSTART;VALUE=DATE:20260912\r
DTEND;VALUE=DATE:20260913\r
END:VEVENT\r
END:VCALENDAR\r
"""
