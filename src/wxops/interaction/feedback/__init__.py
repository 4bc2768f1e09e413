"""The 24-hour feedback of plan section 七: comments, the feedback window, core issues and the director's document.

- :mod:`.comments` syncs a sent push's comments (``comment/list``) and replies to, features
  or deletes one (audited);
- :mod:`.windows` opens a window for each sent push, links comments and messages to it,
  and closes it 24 hours later (claimed once, re-found by a sweep);
- :mod:`.clustering` groups the window's feedback into ranked core issues;
- :mod:`.documents` writes «推送反馈核心问题» (DOCX, PDF) and the Q&A compilation, and
  delivers them to the account's director.
"""
