"""Apps register themselves (core.appconfig.DomainConfig): every registration resolves, none is forgotten."""

from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.template.loader import get_template
from django.utils.module_loading import import_string

from hoptac.core.appconfig import DomainConfig, domain_configs


def test_every_domain_app_has_a_domain_config():
    hoptac_apps = [c for c in apps.get_app_configs() if c.name.startswith("hoptac.")]
    plumbing = {"hoptac.core", "hoptac.geo", "hoptac.accounts", "hoptac.synth"}
    for config in hoptac_apps:
        if config.name not in plumbing:
            assert isinstance(config, DomainConfig), f"{config.name}/apps.py: subclass appconfig.DomainConfig"


def test_registrations_resolve():
    for config in domain_configs():
        for name in (config.organisation_section, config.plan_section, config.cooperative_home_section):
            if name:
                get_template(name)
        for path in (config.demo_builder, config.plan_part_loader):
            if path:
                assert callable(import_string(path)), path
        if config.indicators_module:
            import_module(config.indicators_module)


def test_no_contribution_is_left_unregistered():
    """An app with a demo, a section template, a plan-part loader or indicators must say so in apps.py."""
    for config in domain_configs():
        root = Path(config.path)
        if (root / "demo.py").exists() and config.label != "registry":  # the registry's is load-demo's base
            assert config.demo_builder == f"{config.name}.demo.build", config.name
        if (root / "templates" / config.label / "_organisation_section.html").exists():
            assert config.organisation_section == f"{config.label}/_organisation_section.html", config.name
        if (root / "templates" / config.label / "_cooperative_home.html").exists():
            assert config.cooperative_home_section == f"{config.label}/_cooperative_home.html", config.name
        if (root / "templates" / config.label / "_plan_section.html").exists():
            assert config.plan_section == f"{config.label}/_plan_section.html", config.name
        if (root / "indicators.py").exists():
            assert config.indicators_module == f"{config.name}.indicators", config.name
        if (root / "loader.py").exists() and config.label != "plans":  # plans' loader is load-plans itself
            assert config.plan_part_loader == f"{config.name}.loader.load", config.name
