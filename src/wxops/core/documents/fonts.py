"""Where the CJK font of the documents, posters and charts is: Noto Sans CJK SC, found through fontconfig.

    font_file(bold=True)      # FontFile(path="/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", index=2)

A missing font is an error that says what to install (Debian's ``fonts-noto-cjk``), never a
document whose Chinese is drawn as empty boxes.
"""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass

from django.utils.translation import gettext as _

FONT_FAMILY = "Noto Sans CJK SC"
DEBIAN_PACKAGE = "fonts-noto-cjk"


class FontMissing(RuntimeError):
    """The CJK font is not installed; the message names the package to install."""


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int  # the face in a collection (.ttc)


def font_file(*, bold: bool = False) -> FontFile:
    """The file (and face) of Noto Sans CJK SC, regular or bold; :class:`FontMissing` when not installed."""
    return _font_file(bold)


@functools.cache
def _font_file(bold: bool) -> FontFile:
    pattern = f"{FONT_FAMILY}:bold" if bold else FONT_FAMILY
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}|%{index}", pattern], capture_output=True, text=True,
                               timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise FontMissing(_("Cannot find the font %(font)s (%(error)s): install %(package)s.")
                          % {"font": FONT_FAMILY, "error": type(error).__name__, "package": DEBIAN_PACKAGE}) from None
    path, _sep, index = found.partition("|")
    if "NotoSansCJK" not in path.replace(" ", ""):  # fontconfig answers its nearest font, e.g. DejaVu
        raise FontMissing(_("The font %(font)s is not installed: install %(package)s.")
                          % {"font": FONT_FAMILY, "package": DEBIAN_PACKAGE})
    return FontFile(path, int(index or 0))
