"""Demo data for groups, venues and events (see home/management/commands/load_demo.py)."""
