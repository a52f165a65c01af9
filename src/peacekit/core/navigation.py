"""Role-aware navigation: each app lists its NAV_ITEMS in `<app>/navigation.py`.

The header menu and the dashboard's quick actions are built from these, so a new page becomes
findable by adding one line where its app is, and only users whose role may use it see it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    """A link in the header menu and a card on the dashboard."""

    label: str
    url_name: str
    description: str = ""
    roles: frozenset[str] | None = None  # None: any member; program staff always see items
    program_staff_only: bool = False
    order: int = 100
    section: str = field(default="")

    def visible_to(self, user, organization_id: int | None) -> bool:
        if user.is_program_staff:
            return True
        if self.program_staff_only:
            return False
        if self.roles is None:
            return True
        return user.role_in(organization_id) in self.roles

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


NAV_ITEMS = [
    NavItem(_("Dashboard"), "core:dashboard", _("Your work at a glance."), order=0),
    NavItem(
        _("Organizations"),
        "core:organization_list",
        _("Agencies, governments, community groups and their members."),
        order=90,
    ),
    NavItem(_("Jobs"), "core:job_list", _("Background work and its progress."), order=95),
    NavItem(
        _("Audit log"),
        "core:audit_log",
        _("Who did what, when, from which organization."),
        program_staff_only=True,
        order=99,
    ),
]


@lru_cache(maxsize=1)
def all_nav_items() -> tuple[NavItem, ...]:
    """Every app's navigation items, in menu order."""
    items: list[NavItem] = []
    for app in settings.PEACEKIT_APPS:
        try:
            module = importlib.import_module(f"{app}.navigation")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.navigation":
                raise
            continue
        items.extend(getattr(module, "NAV_ITEMS", []))
    return tuple(sorted(items, key=lambda item: (item.order, str(item.label))))


# The header groups items by program area (the URL namespace), so the menu stays one line.
SECTIONS = {
    "listening": _("Listening"),
    "surveys": _("Surveys"),
    "evaluations": _("360 evaluations"),
    "pledges": _("Promise"),
    "training": _("Training"),
    "coaching": _("Coaching"),
    "research": _("Research"),
    "reports": _("Reports"),
    "core": _("Admin"),
}


def nav_for(user, organization_id: int | None) -> list[dict]:
    """The items this user may see, with their URLs resolved."""
    if not user.is_authenticated:
        return []
    result = []
    for item in all_nav_items():
        url = item.url()
        if url and item.visible_to(user, organization_id):
            result.append(
                {
                    "label": item.label,
                    "url": url,
                    "description": item.description,
                    "section": item.section or item.url_name.split(":", 1)[0],
                }
            )
    return result


def nav_menu(items: list[dict]) -> list[dict]:
    """Header menu: the dashboard, then one entry per area (a submenu when it has several)."""
    menu: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items:
        if item["url"] == "/":
            menu.append({"label": item["label"], "url": item["url"], "children": []})
            continue
        key = item["section"]
        if key not in groups:
            groups[key] = {"label": SECTIONS.get(key, key.title()), "key": key, "children": []}
            menu.append(groups[key])
        groups[key]["children"].append(item)
    for entry in menu:
        children = entry.get("children") or []
        if len(children) == 1 and entry.get("key") != "core":
            entry.update(label=children[0]["label"], url=children[0]["url"], children=[])
    return menu


def dashboard_cards(request) -> list[dict]:
    """Figures each app puts on the dashboard via `dashboard_cards(request)` in navigation.py."""
    cards: list[dict] = []
    for app in settings.PEACEKIT_APPS:
        try:
            module = importlib.import_module(f"{app}.navigation")
        except ModuleNotFoundError:
            continue
        provider = getattr(module, "dashboard_cards", None)
        if provider is not None and module.__name__ != __name__:
            cards.extend(provider(request))
    return cards


def card_groups(items: list[dict]) -> list[dict]:
    """Dashboard cards grouped by area, in menu order."""
    groups: dict[str, dict] = {}
    for item in items:
        key = item["section"]
        groups.setdefault(
            key, {"key": key, "label": SECTIONS.get(key, key.title()), "children": []}
        )
        groups[key]["children"].append(item)
    return list(groups.values())
