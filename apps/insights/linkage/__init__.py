"""Linking a surge of contacts to a breach (issue 11, DESIGN §5).

`stats` holds the pure statistics (numpy/scipy, no Django), `planted` a seeded generator of scenarios with known
answers that the tests feed to `stats`. The Django side (gathering, storage, tasks) lives in sibling modules.
"""
