"""Automatic replies (自动回复) beyond the welcome: keyword rules and the Q&A knowledge base.

- ``matching``: normalising a text and matching keyword rules (exact, contains, regex);
- ``knowledge``: retrieval over the knowledge base's questions (char n-gram TF-IDF);
- ``actions``: content-rule checks, audited saves, and the answer for a follower's text;
- ``handlers``: the inbound handlers that answer through ``wxops.core.inbound``;
- ``admin``: the admin's viewsets (互动 → 关键词回复, 知识库).

The order in which a follower's text is answered: keyword rules (priority 300), the
knowledge base (700), the account's default reply (900); the first that answers wins.
"""
