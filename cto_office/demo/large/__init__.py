"""``seed_demo --scale large``: DESIGN.md §5's organisation of about 2,000 engineers.

``organisation.scale_organisation`` grows the data file's real structure
(GitLab's Engineering division, pseudonymised) the way such a division grows:
each of its 70 product and platform teams gets its own sub-teams (backend and
frontend for a product group, one per region for an infrastructure team, ...),
each with an engineering manager and 8–13 engineers named from the pseudonyms'
own first and last names. The activity generators of ``cto_office.demo`` then
run at ``context.LARGE`` (a year of meetings, 2,000 escalations, 20,000
actions, four OKR quarters).
"""
