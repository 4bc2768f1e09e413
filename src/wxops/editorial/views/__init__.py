"""Admin views of editorial: the article's content-rule panel, the calendar, pushes and their review.

URLs are registered in ``wagtail_hooks.py``; each view parses input and calls
:mod:`wxops.editorial.actions`.
"""
