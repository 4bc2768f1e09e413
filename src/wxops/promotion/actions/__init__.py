"""Business rules of promotion, each one: permission check → atomic change → audit log →
after-commit side effects. Split by subject, as Zulip's ``zerver/actions/``:

* :mod:`.staff` — branches, employees, targets, the staff import;
* :mod:`.codes` — QR codes: asking WeChat, retries, the 100,000 limit;
* :mod:`.attribution` — followers and their subscribe / SCAN / unsubscribe events.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wxops.core import audit

AUDIT_BRANCH_SAVED = "wxops.promotion.branch_saved"
AUDIT_EMPLOYEE_SAVED = "wxops.promotion.employee_saved"
AUDIT_EMPLOYEE_LEFT = "wxops.promotion.employee_left"
AUDIT_EMPLOYEE_BACK = "wxops.promotion.employee_back"
AUDIT_STAFF_IMPORTED = "wxops.promotion.staff_imported"
AUDIT_CODES_REQUESTED = "wxops.promotion.codes_requested"
AUDIT_TARGET_SET = "wxops.promotion.target_set"


def register_audit_actions() -> None:
    audit.register(AUDIT_BRANCH_SAVED, _("Save branch"), _("Branch saved"))
    audit.register(AUDIT_EMPLOYEE_SAVED, _("Save employee"), _("Employee saved"))
    audit.register(AUDIT_EMPLOYEE_LEFT, _("Deactivate employee"), _("Employee deactivated (left)"))
    audit.register(AUDIT_EMPLOYEE_BACK, _("Reactivate employee"), _("Employee reactivated"))
    audit.register(AUDIT_STAFF_IMPORTED, _("Import staff"), _("Staff imported"))
    audit.register(AUDIT_CODES_REQUESTED, _("Request QR codes"), _("QR codes requested from WeChat"))
    audit.register(AUDIT_TARGET_SET, _("Set target"), _("Branch target set"))
