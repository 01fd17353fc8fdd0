"""Use cases: one small class per thing the service does, each holding its ports (see STYLE.md)."""
