"""Views of the actions app."""
