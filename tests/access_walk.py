"""The cross-organization walk: every URL pattern and API route, as another organization's user.

For each route the walk fills the URL's parameters with objects that belong to organization A
(made by the KWARG_FACTORIES that each app declares in `tests/<app>/access_fixtures.py`), then:

- an anonymous visitor must be sent to sign in (pages) or refused with 401 (API),
  unless the view is public (`@login_not_required`);
- a user of organization B, with every role, must get 403 or 404 for routes with ids of A's
  objects, and for routes without ids must not see A's marker text in the response;
- a route whose parameter has no factory fails the walk, so a new route cannot be forgotten.

Apps extend the walk by adding `KWARG_FACTORIES = {"initiative_id": make_initiative}` in
`tests/<app>/access_fixtures.py`; each factory takes (organization A, owner user of A) and returns
the value for the URL parameter.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import tests

MARKER = "ORGA-SECRET"

# Routes that are neither public nor organization data, with the reason they are excluded.
EXCLUDED_PREFIXES = {
    "admin/": "Django admin: program staff only (is_staff), checked by Django itself",
    "i18n/": "language switch (public)",
    "static/": "static files",
}


@dataclass
class Route:
    """One URL pattern: its full regex, parameter names and the view function."""

    name: str
    pattern: str
    params: list[str]
    callback: Callable

    @property
    def public(self) -> bool:
        return getattr(self.callback, "login_required", True) is False


def _walk(patterns, prefix: str = "", namespace: str = "") -> list[Route]:
    routes: list[Route] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            routes.extend(_walk(p.url_patterns, prefix + str(p.pattern), ns))
        elif isinstance(p, URLPattern):
            full = prefix + str(p.pattern)
            params = re.findall(r"<(?:\w+:)?(\w+)>", full) + re.findall(r"\(\?P<(\w+)>", full)
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or full)
            routes.append(Route(name=name, pattern=full, params=params, callback=p.callback))
    return routes


def all_routes() -> list[Route]:
    """Every page route except the API (walked separately) and the excluded prefixes."""
    routes = []
    for route in _walk(get_resolver().url_patterns):
        if route.pattern.startswith("api/"):
            continue
        if any(route.pattern.startswith(prefix) for prefix in EXCLUDED_PREFIXES):
            continue
        routes.append(route)
    return routes


def kwarg_factories() -> dict[str, Callable[..., Any]]:
    """Collect KWARG_FACTORIES from tests/<app>/access_fixtures.py of every app."""
    factories: dict[str, Callable[..., Any]] = {}
    for module_info in pkgutil.iter_modules(tests.__path__):
        if not module_info.ispkg:
            continue
        name = f"tests.{module_info.name}.access_fixtures"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        factories.update(getattr(module, "KWARG_FACTORIES", {}))
    return factories


def build_path(pattern: str, values: dict[str, Any]) -> str:
    """Turn a route pattern into a concrete path with the given parameter values."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), pattern)
    path = re.sub(r"\^|\$", "", path)
    return "/" + path


@dataclass
class Finding:
    route: str
    method: str
    who: str
    status: int
    problem: str

    def __str__(self) -> str:
        return f"{self.method} {self.route} as {self.who}: HTTP {self.status} — {self.problem}"


def fill(params: list[str], factories, org_a, owner_a, cache: dict) -> dict[str, Any] | None:
    values = {}
    for param in params:
        if param not in factories:
            return None
        if param not in cache:
            cache[param] = factories[param](org_a, owner_a)
        values[param] = cache[param]
    return values


def walk_pages(*, org_a, owner_a, outsiders: dict[str, Any]) -> tuple[list[Finding], int]:
    """Walk every page route; returns the findings and the number of routes checked."""
    factories = kwarg_factories()
    cache: dict[str, Any] = {}
    findings: list[Finding] = []
    checked = 0
    for route in all_routes():
        values = fill(route.params, factories, org_a, owner_a, cache)
        if values is None:
            missing = [p for p in route.params if p not in factories]
            findings.append(
                Finding(route.pattern, "-", "-", 0, f"no KWARG_FACTORIES entry for {missing}")
            )
            continue
        path = build_path(route.pattern, values)
        checked += 1
        if route.public:
            continue
        anonymous = Client()
        for method in ("get", "post"):
            response = getattr(anonymous, method)(path)
            if response.status_code == 405:
                continue
            if response.status_code != 302 or "/accounts/login/" not in response["Location"]:
                findings.append(
                    Finding(path, method.upper(), "anonymous", response.status_code,
                            "anonymous visitor was not sent to sign in")
                )  # fmt: skip
        for who, user in outsiders.items():
            client = Client()
            client.force_login(user)
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                status = response.status_code
                if route.params:
                    if status in (403, 404, 405):
                        continue
                    findings.append(
                        Finding(path, method.upper(), who, status,
                                "another organization's object was reachable")
                    )  # fmt: skip
                elif status == 200 and MARKER in response.content.decode(errors="ignore"):
                    findings.append(
                        Finding(path, method.upper(), who, status,
                                "page shows another organization's data")
                    )  # fmt: skip
    return findings, checked


def api_operations() -> list[tuple[str, str, list[str]]]:
    """(method, path, path parameter names) for every operation in the OpenAPI spec."""
    from peacekit.api import api

    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method in methods:
            params = re.findall(r"{(\w+)}", path)
            operations.append((method, path, params))
    return operations


PUBLIC_API_TAGS = "public"


def walk_api(*, org_a, owner_a, outsiders: dict[str, Any]) -> tuple[list[Finding], int]:
    """Walk every API operation: anonymous gets 401, outsiders get 401/403/404 or no A data."""
    from peacekit.api import api

    schema = api.get_openapi_schema()
    factories = kwarg_factories()
    cache: dict[str, Any] = {}
    findings: list[Finding] = []
    checked = 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            params = re.findall(r"{(\w+)}", path)
            values = fill(params, factories, org_a, owner_a, cache)
            if values is None:
                findings.append(Finding(path, method, "-", 0, f"no KWARG_FACTORIES for {params}"))
                continue
            concrete = re.sub(r"{(\w+)}", lambda m, v=values: str(v[m.group(1)]), path)
            checked += 1
            public = PUBLIC_API_TAGS in operation.get("tags", [])
            if not public:
                response = getattr(Client(), method)(concrete, content_type="application/json")
                if response.status_code != 401:
                    findings.append(
                        Finding(concrete, method, "anonymous", response.status_code,
                                "API answered without authentication")
                    )  # fmt: skip
            for who, user in outsiders.items():
                client = Client()
                client.force_login(user)
                response = getattr(client, method)(concrete, content_type="application/json")
                status = response.status_code
                if params and not public:
                    if status in (401, 403, 404, 405, 422):
                        continue
                    findings.append(
                        Finding(concrete, method, who, status, "another organization's object")
                    )
                elif status == 200 and MARKER in response.content.decode(errors="ignore"):
                    findings.append(
                        Finding(concrete, method, who, status, "another organization's data")
                    )
    return findings, checked
