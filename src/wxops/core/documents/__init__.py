"""Chinese documents: DOCX (python-docx) and PDF (WeasyPrint) in Noto Sans CJK SC, the font embedded in both.

    from wxops.core.documents import pdf, word

    document = word.new_document()                    # every style in the CJK font, east-asian text too
    document.add_heading("推送反馈核心问题", level=0)
    word.table(document, ["项目", "数值"], rows)       # header row, "—" for None
    word.picture(document, png_bytes, width_cm=16)
    data = word.docx_bytes(document)                  # the glyphs the document uses embedded (word/fonts/*.odttf)
    data = pdf.render_pdf("app/page.html", context)   # context["font"] is the family; WeasyPrint embeds a subset

``fonts.font_file()`` finds the font through fontconfig; when it is not installed every
writer raises :class:`fonts.FontMissing`, whose message names the Debian package to install.
"""
