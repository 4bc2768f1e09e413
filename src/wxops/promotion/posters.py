"""QR code pictures and printable posters, drawn locally from the url WeChat returned.

Nothing here calls WeChat: a code's ``url`` is what the picture encodes (segno draws it),
so posters work offline and against the simulator. A poster carries the account's name,
the slogan, the branch, the employee and the code; as PDF (WeasyPrint, vector, with the
Noto Sans CJK font) or PNG (Pillow, A4 at 150 dpi). A branch's posters come as one PDF (a
page each) or one ZIP (PNG posters and SVG codes).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import segno
from django.db.models import F
from django.utils.translation import gettext as _

from wxops.accounts import times
from wxops.core.documents import pdf
from wxops.core.documents.fonts import FontFile, FontMissing, font_file

from .models import Branch, CodeStatus, PromoCode

A4_AT_150_DPI = (1240, 1754)


class PosterError(RuntimeError):
    """A poster cannot be drawn; the message says why (a code not ready, a missing font)."""


@dataclass(frozen=True)
class Poster:
    """What one poster shows."""

    account: str
    slogan: str
    branch: str
    person: str
    note: str
    url: str
    filename: str


def qr_png(url: str, *, scale: int = 10) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(url: str, *, standalone: bool = True) -> bytes:
    """The code as SVG: a file of its own, or (``standalone=False``) an element to put in a page."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=10, border=4, xmldecl=standalone, svgns=True)
    return out.getvalue()


def poster_for(code: PromoCode) -> Poster:
    if code.status != CodeStatus.READY or not code.url:
        raise PosterError(_("The QR code %(scene)s is not ready yet (%(status)s).")
                          % {"scene": code.scene_str, "status": code.get_status_display()})
    branch = code.branch
    person, note = "", ""
    if code.employee_id:
        person = f"{code.employee.name}（{code.employee.staff_number}）"
    if code.campaign:
        note = code.campaign
        if code.expires_at:
            note += " · " + _("valid until %(date)s") % {
                "date": times.shown_day(times.local(code.expires_at, code).date())}
    default_slogan = _("Scan with WeChat to follow us")
    return Poster(account=code.account.name, slogan=(branch.slogan if branch and branch.slogan else default_slogan),
                  branch=branch.name if branch else "", person=person, note=note, url=code.url,
                  filename=code.scene_str.replace(":", "-"))


def poster_pdf(posters: list[Poster]) -> bytes:
    """One A4 page per poster."""
    pages = [{"poster": p, "svg": qr_svg(p.url, standalone=False).decode("utf-8")} for p in posters]
    try:
        return pdf.render_pdf("promotion/poster.html", {"pages": pages, "scan_hint": _("Open WeChat, tap + and Scan")})
    except FontMissing as error:
        raise PosterError(str(error)) from None


def _font_file(bold: bool) -> FontFile:
    try:
        return font_file(bold=bold)
    except FontMissing as error:
        raise PosterError(str(error)) from None


def poster_png(poster: Poster) -> bytes:
    """The poster as an A4 picture at 150 dpi (for phones and chat groups)."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = A4_AT_150_DPI
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    bold_font, regular_font = _font_file(True), _font_file(False)

    def text(y: int, value: str, size: int, *, bold: bool = False, fill: str = "#1a1a1a") -> None:
        if not value:
            return
        face = bold_font if bold else regular_font
        font = ImageFont.truetype(face.path, size, index=face.index)
        left, _top, right, _bottom = draw.textbbox((0, 0), value, font=font)
        draw.text(((width - (right - left)) // 2, y), value, font=font, fill=fill)

    draw.rectangle((0, 0, width, 260), fill="#07c160")
    text(70, poster.account, 84, bold=True, fill="white")
    text(320, poster.slogan, 56, bold=True)
    code = Image.open(io.BytesIO(qr_png(poster.url, scale=20))).convert("RGB").resize((760, 760), Image.NEAREST)
    image.paste(code, ((width - 760) // 2, 450))
    text(1260, poster.branch, 60, bold=True)
    text(1350, poster.person, 52)
    text(1430, poster.note, 40, fill="#555555")
    text(1600, _("Open WeChat, tap + and Scan"), 40, fill="#555555")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def branch_codes(branch: Branch) -> list[PromoCode]:
    """The branch's ready permanent codes for posters: the branch's own, then each active employee's."""
    codes = (PromoCode.objects.filter(branch=branch, status=CodeStatus.READY, campaign="")
             .select_related("account", "branch", "employee")
             # the branch's own code first, then its staff: PostgreSQL puts NULLs last unless told
             .order_by(F("employee__staff_number").asc(nulls_first=True)))
    return [c for c in codes if c.employee_id is None or c.employee.active]


def branch_pdf(branch: Branch) -> bytes:
    codes = branch_codes(branch)
    if not codes:
        raise PosterError(_("%(branch)s has no ready QR code yet.") % {"branch": branch})
    return poster_pdf([poster_for(c) for c in codes])


def branch_zip(branch: Branch) -> bytes:
    codes = branch_codes(branch)
    if not codes:
        raise PosterError(_("%(branch)s has no ready QR code yet.") % {"branch": branch})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for code in codes:
            poster = poster_for(code)
            bundle.writestr(f"{poster.filename}-poster.png", poster_png(poster))
            bundle.writestr(f"{poster.filename}.svg", qr_svg(code.url))
    return out.getvalue()
