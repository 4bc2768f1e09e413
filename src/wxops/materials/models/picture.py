"""The image library (三 素材管理): a Wagtail image that knows where it came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class Licence(models.TextChoices):
    OWN = "own", _("Own")
    LICENSED = "licensed", _("Licensed")
    PUBLIC_DOMAIN = "public_domain", _("Public domain")
    UNKNOWN = "unknown", _("Unknown — check before publishing")


class Picture(AbstractImage):
    """A picture in the library with its provenance: source, licence, author and notes."""

    source_url = models.URLField(_("source URL"), max_length=1000, blank=True,
                                 help_text=_("Where the picture came from; empty for our own."))
    source_page = models.URLField(_("found on page"), max_length=1000, blank=True,
                                  help_text=_("The page that showed the picture, when it was taken from the web."))
    source_site = models.CharField(_("site"), max_length=200, blank=True,
                                   help_text=_("The site or portal it came from, e.g. news.example.com."))
    retrieved_at = models.DateTimeField(_("retrieved"), null=True, blank=True,
                                        help_text=_("When wxops fetched it from the web."))
    # No default, so the form offers no pre-selected choice: the licence is a conscious one.
    # Pictures made without the form (bulk upload, from a story) start empty = not publishable
    # (see wxops.materials.pictures.licence).
    licence = models.CharField(
        _("licence"), max_length=16, choices=Licence.choices,
        help_text=_("Photos found through image search (百度图库, 360图库) or on portals usually belong to a "
                    "photographer or an agency: choose “Unknown” unless you know the licence."))
    licensor = models.CharField(_("licensed by"), max_length=200, blank=True,
                                help_text=_("Who granted the licence (person, agency, contract number); "
                                            "required when the licence is “Licensed”."))
    author_credit = models.CharField(_("author or agency"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    phash = models.CharField(_("perceptual hash"), max_length=16, blank=True, db_index=True, editable=False)

    admin_form_fields = (*Image.admin_form_fields, "source_url", "source_page", "source_site", "licence", "licensor",
                         "author_credit", "notes")

    class Meta(AbstractImage.Meta):
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        permissions = [("choose_image", "Can choose image")]

    def _set_image_file_metadata(self):
        # Wagtail calls this whenever a new file is uploaded (single and multiple upload):
        # the perceptual hash is derived file metadata, like Wagtail's own file_hash.
        super()._set_image_file_metadata()
        from wxops.materials.pictures.hashing import NotAnImage, perceptual_hash

        self.file.seek(0)
        try:
            self.phash = perceptual_hash(self.file.read())
        except NotAnImage:
            self.phash = ""
        self.file.seek(0)


class PictureText(models.Model):
    """The text and QR codes read from a picture's bytes (OCR), kept by content hash.

    Read once when a picture is uploaded (in the worker), so checking an article that uses
    it never waits for OCR (~0.5–20 s a picture); the same bytes uploaded again reuse it.
    """

    sha256 = models.CharField(max_length=64, unique=True)
    text = models.TextField(blank=True)
    qr_codes = models.JSONField(default=list, blank=True)
    read_at = models.DateTimeField()

    class Meta:
        verbose_name = _("picture text")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} {len(self.text)} characters"


class PictureRendition(AbstractRendition):
    image = models.ForeignKey(Picture, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class WeChatRenditionKind(models.TextChoices):
    COVER = "cover", _("Cover 900×383")
    THUMB = "thumb", _("Thumb ≤ 64 KB")
    INLINE = "inline", _("In-article ≤ 1 MB")


class WeChatRendition(models.Model):
    """A WeChat-ready copy of a picture (see :mod:`wxops.materials.pictures.wechat`).

    ``focal_key`` records the focal point it was cut around; a new focal point makes it stale.
    ``steps`` lists what was done to fit WeChat's limits, shown to the editor.
    """

    picture = models.ForeignKey(Picture, on_delete=models.CASCADE, related_name="wechat_renditions")
    kind = models.CharField(max_length=8, choices=WeChatRenditionKind.choices)
    file = models.FileField(upload_to="wechat_renditions/", max_length=255)
    format = models.CharField(max_length=8)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    steps = models.JSONField(default=list, blank=True)
    focal_key = models.CharField(max_length=64, blank=True)
    source_hash = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("WeChat rendition")
        constraints = [models.UniqueConstraint(fields=["picture", "kind"], name="one_wechat_rendition_per_kind")]

    def __str__(self) -> str:
        return f"{self.picture_id} {self.kind} {self.width}×{self.height}"
