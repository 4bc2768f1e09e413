from wxops.materials.models.article import Article
from wxops.materials.models.picture import Picture, PictureRendition, PictureText

__all__ = ["Article", "Picture", "PictureRendition", "PictureText"]
