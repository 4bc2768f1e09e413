"""The image library's own parts: perceptual-hash duplicates, WeChat-ready renditions, licence checks.

``hashing`` and ``wechat`` are pure (Pillow, imagehash); ``library`` works with the
``materials.Picture`` model.
"""
