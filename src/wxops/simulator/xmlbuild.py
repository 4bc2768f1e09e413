"""Building the XML WeChat pushes: ``<xml>`` with CDATA strings and bare numbers."""

from __future__ import annotations

from typing import Any

Fields = list[tuple[str, Any]]


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def element(name: str, value: Any) -> str:
    if isinstance(value, list):  # nested elements, possibly repeated names
        inner = "".join(element(child, child_value) for child, child_value in value)
        return f"<{name}>{inner}</{name}>"
    if isinstance(value, bool):
        value = int(value)
    text = str(value) if isinstance(value, int | float) else cdata(str(value))
    return f"<{name}>{text}</{name}>"


def message(fields: Fields) -> str:
    return "<xml>" + "".join(element(name, value) for name, value in fields) + "</xml>"
