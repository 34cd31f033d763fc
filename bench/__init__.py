"""``make bench``: DESIGN.md §5's non-functional bars measured on the large organisation.

``python -m bench`` (``run.main``) prepares its own PostgreSQL database
(``environment``), seeds ``seed_demo --scale large`` into it when it is
missing, then measures, with repeats and medians: the weekly briefing against
WeasyPrint's own rendering (``briefing``), each main page against our smallest
page (``pages``), the chase sweep against the raw fetch of the overdue rows
(``chase``) and the inbox's throughput under gunicorn against the smallest
page's (``load``). It ends with one ``RATIO <name> <value>`` line per figure
(and ``PAGES briefing <n>``), in the order of ``run.FIGURES``; ``figures``
holds the arithmetic and the parser scripts can use.
"""
