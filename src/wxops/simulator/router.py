"""A small HTTP router: ``{name}`` placeholders in paths, one handler per method and path.

The simulator's own pages — the control API (``control``), the inspection API
(``inspection``), the overview, images and draft previews — are declared where they live
with :func:`route`, as WeChat's endpoints are with ``api.endpoint``. Handlers take the
simulator, the :class:`Request` (plus the path parameters as keyword arguments) and return
a :class:`Response`, or a ``dict``/``list`` answered as JSON with status 200.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    client_ip: str = "127.0.0.1"

    @classmethod
    def parse_query(cls, raw: str) -> dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(raw, keep_blank_values=True).items()}

    @property
    def base_url(self) -> str:
        return "http://" + self.headers.get("host", "127.0.0.1")


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; encoding=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    drop_connection: bool = False
    hold_seconds: float = 0.0

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        return cls(status=status, body=json.dumps(data, ensure_ascii=False).encode("utf-8"))


Handler = Callable[..., Any]


@dataclass
class Route:
    methods: frozenset[str]
    pattern: re.Pattern[str]
    template: str
    handler: Handler


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, methods: str | tuple[str, ...], template: str, handler: Handler) -> None:
        if isinstance(methods, str):
            methods = (methods,)
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        self.routes.append(Route(frozenset(methods), re.compile(f"^{regex}$"), template, handler))

    def route(self, methods: str | tuple[str, ...], template: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.add(methods, template, handler)
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """The route for ``method`` and ``path``, its parameters, and whether the path exists at all."""
        path_exists = False
        for route in self.routes:
            found = route.pattern.match(path)
            if found:
                path_exists = True
                if method in route.methods:
                    return route, found.groupdict(), True
        return None, {}, path_exists


#: Every page of the simulator, filled by :func:`route` when its module is imported.
ROUTES = Router()


def route(methods: str | tuple[str, ...], template: str) -> Callable[[Handler], Handler]:
    """Declare a simulator page: ``handler(sim, request, **path_parameters)``."""
    return ROUTES.route(methods, template)
