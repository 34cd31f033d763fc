"""Deployment: ``deploy/run`` (the one place the production commands are written),
``gunicorn.conf.py``, and ``smoke`` (``make prod-smoke``, run as ``python -m deploy.smoke``).

A package only so that ``python -m deploy.smoke`` finds ``deploy.smoke`` here first.
"""
