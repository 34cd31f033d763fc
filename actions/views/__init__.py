"""Pages of the actions app: the register (``register``), the escalation inbox and pages
(``escalations``), and the escalation transitions (``transitions``)."""
