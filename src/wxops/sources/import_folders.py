"""Which server folders a local file source (本地文件或文件夹) may read: the administrator's list.

An editor types a path into a source; without a limit any editor could pull the server's
configuration or keys into the pool. Only paths inside ``WXOPS_IMPORT_FOLDERS`` are
accepted, checked after resolving symbolic links and ``..`` — when the source is saved
and again at every poll (a link may change after saving). ``wxops ingest PATH`` on the
command line is the operator's own tool and is not limited.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _


def allowed_folders() -> list[Path]:
    """The configured folders, resolved (links followed)."""
    return [Path(folder).expanduser().resolve() for folder in getattr(settings, "WXOPS_IMPORT_FOLDERS", ())]


def refusal(location: str) -> str | None:
    """None when ``location`` lies inside an allowed folder (after resolving links); else why not, in words."""
    folders = allowed_folders()
    if not folders:
        return _("No import folder is configured, so local file sources are off. An administrator can set "
                 "WXOPS_IMPORT_FOLDERS to the folders they may read.")
    resolved = Path(location).expanduser().resolve()
    if any(resolved == folder or resolved.is_relative_to(folder) for folder in folders):
        return None
    return _("%(path)s is outside the import folders (%(folders)s); put the files there or ask an "
             "administrator.") % {"path": location, "folders": ", ".join(str(f) for f in folders)}
