"""Check-in services: each function here writes, and does it in one transaction, so a failure
leaves nothing half-written.

- `scanning`: recording attendance at the door (ScanResult and `checkin_*`), anonymous
  counts, the council's corrections, and the running counts.
- `offline`: the door without signal: the digests a scanner page keeps, the sync of its
  queued scans (each nonce once), and undoing a check-in.
- `windows`: a date's check-in window, read from its site's CheckinSettings.
- `lifecycle`: a participant's passes and record, from making to erasing and exporting.
- `attendance`: what organisers see and export, each look written to the audit log.

The door scan's one PostgreSQL statement is in `events.checkin.door_sql`.
"""
