"""Embed the CJK font in a saved DOCX, as Word does (ECMA-376 Part 1, 17.8.1 font embedding).

    docx = embed_fonts(docx)      # + word/fonts/NotoSansCJKSC-{Regular,Bold}.odttf

Each face is cut down to the characters of the document (:mod:`.glyphs`) and stored
obfuscated: its first 32 bytes XORed with the font key, a GUID read as 16 bytes in reverse
order. ``word/fontTable.xml`` names the part and the key (``<w:embedRegular r:id w:fontKey
w:subsetted>``), ``word/settings.xml`` says ``<w:embedTrueTypeFonts/>`` and
``<w:saveSubsetFonts/>``, and ``[Content_Types].xml`` types ``.odttf``. Word, WPS and
LibreOffice then show the document in the font on a computer without it.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass

from lxml import etree

from .fonts import FONT_FAMILY, font_file
from .glyphs import truetype_subset

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
FONT_RELATIONSHIP = f"{R}/font"
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FACES = (("embedRegular", False, "Regular"), ("embedBold", True, "Bold"))
#: The children of <w:settings> that come before <w:embedTrueTypeFonts> (CT_Settings is a sequence).
SETTINGS_BEFORE = {"writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                   "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                   "printFractionalCharacterWidth", "printFormsData"}


def obfuscate(font: bytes, key: str) -> bytes:
    """The font as an .odttf part for ``key`` ("{GUID}"); the same call undoes it."""
    secret = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ secret[i % 16] for i, byte in enumerate(font[:32]))
    return head + font[32:]


TEXT_PARTS = ("word/document.xml", "word/header", "word/footer", "word/footnotes.xml", "word/endnotes.xml")


def document_text(parts: dict[str, bytes]) -> str:
    """Every character the document shows: the text runs of the body, headers, footers and notes."""
    return "".join(run.text or "" for name, data in parts.items()
                   if name.startswith(TEXT_PARTS) and name.endswith(".xml")
                   for run in etree.fromstring(data).iter(f"{{{W}}}t"))


def embed_fonts(docx: bytes) -> bytes:
    """``docx`` with the regular and bold faces of the CJK font embedded, cut down to its characters."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    text = document_text(parts)
    faces = []
    for number, (element, bold, style) in enumerate(FACES, start=1):
        face = Face(element, "{" + str(uuid.uuid4()).upper() + "}", f"rIdFont{number}",
                    f"fonts/{FONT_FAMILY.replace(' ', '')}-{style}.odttf")
        parts[f"word/{face.target}"] = obfuscate(truetype_subset(font_file(bold=bold), text), face.key)
        faces.append(face)
    parts["word/_rels/fontTable.xml.rels"] = _font_relationships(parts.get("word/_rels/fontTable.xml.rels"), faces)
    parts["word/fontTable.xml"] = _font_table(parts["word/fontTable.xml"], faces)
    parts["word/settings.xml"] = _settings(parts["word/settings.xml"])
    parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


@dataclass(frozen=True)
class Face:
    element: str  # embedRegular or embedBold
    key: str  # "{GUID}"
    rel_id: str
    target: str  # beside fontTable.xml


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _font_relationships(existing: bytes | None, faces: list[Face]) -> bytes:
    root = etree.fromstring(existing) if existing else etree.Element(f"{{{PACKAGE_RELS}}}Relationships",
                                                                     nsmap={None: PACKAGE_RELS})
    for old in [rel for rel in root if rel.get("Type") == FONT_RELATIONSHIP or rel.get("Id").startswith("rIdFont")]:
        root.remove(old)
    for face in faces:
        etree.SubElement(root, f"{{{PACKAGE_RELS}}}Relationship", Id=face.rel_id, Type=FONT_RELATIONSHIP,
                         Target=face.target)
    return _xml(root)


def _font_table(data: bytes, faces: list[Face]) -> bytes:
    """Our font's entry, with one <w:embed…> per face (after the entry's description, in schema order)."""
    root = etree.fromstring(data)
    entry = root.find(f"{{{W}}}font[@{{{W}}}name='{FONT_FAMILY}']")
    if entry is not None:
        root.remove(entry)
    entry = etree.SubElement(root, f"{{{W}}}font", {f"{{{W}}}name": FONT_FAMILY})
    etree.SubElement(entry, f"{{{W}}}charset", {f"{{{W}}}val": "86"})  # GB2312: simplified Chinese
    etree.SubElement(entry, f"{{{W}}}family", {f"{{{W}}}val": "swiss"})
    etree.SubElement(entry, f"{{{W}}}pitch", {f"{{{W}}}val": "variable"})
    for face in faces:
        etree.SubElement(entry, f"{{{W}}}{face.element}", {f"{{{R}}}id": face.rel_id, f"{{{W}}}fontKey": face.key,
                                                          f"{{{W}}}subsetted": "1"})
    return _xml(root)


def _settings(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for name in ("embedTrueTypeFonts", "saveSubsetFonts"):
        for old in root.findall(f"{{{W}}}{name}"):
            root.remove(old)
    position = next((i for i, child in enumerate(root) if etree.QName(child).localname not in SETTINGS_BEFORE),
                    len(root))
    root.insert(position, etree.Element(f"{{{W}}}saveSubsetFonts"))
    root.insert(position, etree.Element(f"{{{W}}}embedTrueTypeFonts"))
    return _xml(root)


def _content_types(data: bytes) -> bytes:
    root = etree.fromstring(data)
    if root.find(f"{{{CONTENT_TYPES}}}Default[@Extension='odttf']") is None:
        root.insert(0, etree.Element(f"{{{CONTENT_TYPES}}}Default", Extension="odttf", ContentType=OBFUSCATED_FONT))
    return _xml(root)


def embedded_fonts(docx: bytes) -> dict[str, bytes]:
    """The fonts a DOCX embeds, undone from .odttf: ``{"Noto Sans CJK SC/embedRegular": b"\\0\\1\\0\\0…"}``."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        names = set(package.namelist())
        if "word/_rels/fontTable.xml.rels" not in names:
            return {}
        targets = {rel.get("Id"): rel.get("Target")
                   for rel in etree.fromstring(package.read("word/_rels/fontTable.xml.rels"))}
        found = {}
        for entry in etree.fromstring(package.read("word/fontTable.xml")).iter(f"{{{W}}}font"):
            for embed in entry:
                rel_id = embed.get(f"{{{R}}}id")
                if rel_id in targets:
                    data = package.read(f"word/{targets[rel_id]}")
                    found[f"{entry.get(f'{{{W}}}name')}/{etree.QName(embed).localname}"] = \
                        obfuscate(data, embed.get(f"{{{W}}}fontKey"))
        return found
