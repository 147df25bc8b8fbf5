"""What a domain app adds to the shared places, said once in its apps.py (no hand-kept lists).

Adding a domain app means adding it to INSTALLED_APPS (and urls.py); the attributes below are
read by the pages and commands that gather contributions from every app, in INSTALLED_APPS
order (docs/development.md, "Apps register themselves"). Values are plain strings, so a reader
can follow each one to its file; None means the app adds nothing there.

apps.py files import this module, not the class (`appconfig.DomainConfig`): Django picks an
app's config from the AppConfig subclasses named in its apps.py, and must find only one.
"""

from __future__ import annotations

from django.apps import AppConfig, apps


class DomainConfig(AppConfig):
    # Template included on the organisation page (registry), receiving `organisation`.
    organisation_section: str | None = None
    # Template included on the plan page (plans), receiving `plan`, `unit` and `today`.
    plan_section: str | None = None
    # Template included on a cooperative account's home page (registry.views.home): what the
    # app asks of the organisation and when, receiving `organisation` and `today`.
    cooperative_home_section: str | None = None
    # Dotted path of build(seed) that `hoptac load-demo` calls after the demo registry exists.
    demo_builder: str | None = None
    # Builders run by stage, then in INSTALLED_APPS order: 1 changes organisations' statuses,
    # 2 adds records to organisations, 3 reads statuses and records (figures), 4 reads plans and tasks.
    demo_stage: int = 2
    # Dotted path of load(plan, document, actor) -> int: the app's part of a seed plan (`load-plans`).
    plan_part_loader: str | None = None
    # Module whose functions the indicator library reads (e.g. `linked_organisations(year)`).
    indicators_module: str | None = None


def domain_configs() -> list[DomainConfig]:
    """The installed domain apps, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, DomainConfig)]
