"""Views of the briefings app."""
