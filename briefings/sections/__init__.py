"""The briefing's own sections (OKRs, tech debt and health indicators, headcount and open
requisitions), each a read built for a fixed number of queries.

``briefings.selectors.briefing_snapshot`` assembles them with the sections the
other apps gather (``actions.selectors``, ``cadence.selectors``).
"""
