"""Parsing ``multipart/form-data`` uploads (WeChat's media endpoints take the file as ``media``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAM = re.compile(r'(\w+)\*?="?([^";]*)"?')


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str
    data: bytes


def parse(content_type: str, body: bytes) -> dict[str, Part]:
    """The parts by field name; an empty dict when the body is not well-formed multipart."""
    params = dict(_PARAM.findall(content_type))
    boundary = params.get("boundary")
    if not content_type.lower().startswith("multipart/form-data") or not boundary:
        return {}
    parts: dict[str, Part] = {}
    delimiter = b"--" + boundary.encode("latin-1")
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            continue
        if data.endswith(b"\r\n"):
            data = data[:-2]
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = dict(_PARAM.findall(headers.get("content-disposition", "")))
        name = disposition.get("name")
        if name:
            parts[name] = Part(name, disposition.get("filename"), headers.get("content-type", ""), data)
    return parts


def sniff(data: bytes) -> str | None:
    """The image format by magic bytes: jpg, png, gif, bmp, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data.startswith(b"BM"):
        return "bmp"
    return None
