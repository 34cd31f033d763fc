"""Views of the cadence app."""
