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
    licence = models.CharField(_("licence"), max_length=16, choices=Licence.choices, default=Licence.UNKNOWN)
    author_credit = models.CharField(_("author or agency"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    admin_form_fields = (*Image.admin_form_fields, "source_url", "licence", "author_credit", "notes")

    class Meta(AbstractImage.Meta):
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        permissions = [("choose_image", "Can choose image")]

    @property
    def licence_unknown(self) -> bool:
        return self.licence == Licence.UNKNOWN


class PictureRendition(AbstractRendition):
    image = models.ForeignKey(Picture, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
