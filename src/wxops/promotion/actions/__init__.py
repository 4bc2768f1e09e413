"""Business rules of promotion, each one: permission check → atomic change → audit log →
after-commit side effects. Split by subject, as Zulip's ``zerver/actions/``:

* :mod:`.staff` — branches, employees, targets, the staff import;
* :mod:`.codes` — QR codes: asking WeChat, retries, the 100,000 limit;
* :mod:`.attribution` — followers and their subscribe / SCAN / unsubscribe events.

The audit action names are declared on :class:`wxops.promotion.apps.PromotionConfig`.
"""

from __future__ import annotations

AUDIT_BRANCH_SAVED = "wxops.promotion.branch_saved"
AUDIT_EMPLOYEE_SAVED = "wxops.promotion.employee_saved"
AUDIT_EMPLOYEE_LEFT = "wxops.promotion.employee_left"
AUDIT_EMPLOYEE_BACK = "wxops.promotion.employee_back"
AUDIT_STAFF_IMPORTED = "wxops.promotion.staff_imported"
AUDIT_CODES_REQUESTED = "wxops.promotion.codes_requested"
AUDIT_TARGET_SET = "wxops.promotion.target_set"
