"""The demo city: realistic, fictional content loaded by `manage.py load_demo`."""
