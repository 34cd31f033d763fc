"""The home page ("My week"): the composition layer's own page.

It reads every app (``actions``, ``cadence``, ``briefings``) through their
selectors and ``cto_office.access``; nothing in an app or in the base of
``cto_office`` imports it (``tests/test_layering.py``). ``selectors`` gathers,
``views`` renders.
"""
