"""Chinese documents: the CJK font embedded in DOCX (Word's obfuscated .odttf parts), a clear error without it."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from fontTools.ttLib import TTFont
from lxml import etree

from wxops.core.documents import embedding, fonts, glyphs, word

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "推送反馈核心问题社保基数什么时候调整？"


@pytest.fixture
def cjk_font():
    try:
        return fonts.font_file()
    except fonts.FontMissing as error:
        pytest.skip(f"{error} (make test installs it)")


def a_document() -> bytes:
    document = word.new_document()
    document.add_heading("推送反馈核心问题", level=0)
    document.add_paragraph("社保基数什么时候调整？")
    word.table(document, ["项目", "数值"], [["触达", None]])
    return word.docx_bytes(document)


def test_the_docx_embeds_the_glyphs_it_uses_in_the_cjk_font(cjk_font):
    data = a_document()

    package = zipfile.ZipFile(io.BytesIO(data))
    parts = set(package.namelist())
    assert {"word/fonts/NotoSansCJKSC-Regular.odttf", "word/fonts/NotoSansCJKSC-Bold.odttf"} <= parts
    table = etree.fromstring(package.read("word/fontTable.xml"))
    entry = table.find(f"{W}font[@{W}name='{fonts.FONT_FAMILY}']")
    assert [etree.QName(e).localname for e in entry if e.get(f"{W}fontKey")] == ["embedRegular", "embedBold"]
    settings = etree.fromstring(package.read("word/settings.xml"))
    assert settings.find(f"{W}embedTrueTypeFonts") is not None and settings.find(f"{W}saveSubsetFonts") is not None
    assert b'Extension="odttf"' in package.read("[Content_Types].xml")
    assert package.read("word/fonts/NotoSansCJKSC-Regular.odttf")[:4] != b"\x00\x01\x00\x00"  # obfuscated

    embedded = embedding.embedded_fonts(data)
    assert set(embedded) == {f"{fonts.FONT_FAMILY}/embedRegular", f"{fonts.FONT_FAMILY}/embedBold"}
    for font_bytes in embedded.values():
        font = TTFont(io.BytesIO(font_bytes))
        assert font.sfntVersion == "\x00\x01\x00\x00" and "glyf" in font  # TrueType outlines, as Word embeds
        assert font["name"].getDebugName(1) == fonts.FONT_FAMILY
        cmap = font.getBestCmap()
        assert all(ord(char) in cmap for char in TEXT + "触达项目数值—Hello")
        assert ord("薪") not in cmap  # a subset: only what the document shows (and ASCII)
        assert len(font_bytes) < 200_000


def test_every_style_names_the_cjk_font_for_east_asian_text(cjk_font):
    document = Document(io.BytesIO(a_document()))
    styles = document.styles.element
    for fonts_element in styles.iter(f"{W}rFonts"):
        assert fonts_element.get(f"{W}eastAsia") == fonts.FONT_FAMILY
        assert fonts_element.get(f"{W}eastAsiaTheme") is None  # a theme font would win over the named one
    assert "推送反馈核心问题" in document.paragraphs[0].text and document.tables[0].cell(1, 1).text == "—"


def test_obfuscation_is_the_xor_of_the_first_32_bytes_with_the_reversed_key():
    key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    font = bytes(range(40))
    hidden = embedding.obfuscate(font, key)
    assert hidden[0] == 0 ^ 0xFF and hidden[15] == 15 ^ 0x00 and hidden[16] == 16 ^ 0xFF
    assert hidden[32:] == font[32:] and embedding.obfuscate(hidden, key) == font


def test_without_the_font_the_error_names_the_debian_package(monkeypatch, tmp_path):
    fonts._font_file.cache_clear()
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-match
    try:
        with pytest.raises(fonts.FontMissing, match="fonts-noto-cjk"):
            word.new_document()
    finally:
        fonts._font_file.cache_clear()


def test_later_documents_are_cut_from_the_kept_face_with_the_same_glyphs(cjk_font):
    """The second and third document come from the process's kept TrueType cut, not the CFF face:
    each still holds only its own characters, drawn exactly as a cut straight from the face."""
    glyphs.forget()
    first = glyphs.truetype_subset(cjk_font, "推送反馈核心问题社保基数")
    again = glyphs.truetype_subset(cjk_font, "社保问题")  # all kept: cut from the kept face
    grown = glyphs.truetype_subset(cjk_font, "社保薪酬")  # 薪酬 are new: the kept face is redrawn with them
    assert glyphs._kept[cjk_font].characters >= set("推送反馈核心问题社保基数薪酬")

    glyphs.forget()
    for cut, text, absent in ((first, "推送反馈核心问题社保基数", "薪酬"), (again, "社保问题", "推送薪"),
                              (grown, "社保薪酬", "推送问")):
        direct = TTFont(io.BytesIO(glyphs.truetype_subset(cjk_font, text)))
        glyphs.forget()
        font = TTFont(io.BytesIO(cut))
        cmap, direct_cmap = font.getBestCmap(), direct.getBestCmap()
        assert set(cmap) == set(direct_cmap) and not {ord(char) for char in absent} & set(cmap)
        for code in map(ord, text + "A"):
            kept_glyph, direct_glyph = font["glyf"][cmap[code]], direct["glyf"][direct_cmap[code]]
            assert kept_glyph.getCoordinates(font["glyf"])[0] == direct_glyph.getCoordinates(direct["glyf"])[0]
            assert font["hmtx"][cmap[code]] == direct["hmtx"][direct_cmap[code]]
