"""Settings from the environment are read strictly, and Vietnamese formats are ours."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from hoptac.core.templatetags.vn import money, number
from hoptac.env import env_bool, env_list, parse_database_url


def test_booleans_are_strict(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_lists_refuse_empty_items(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.vn,,b.vn")
    with pytest.raises(ImproperlyConfigured, match="X_HOSTS"):
        env_list("X_HOSTS", [])


def test_database_urls():
    pg = parse_database_url("postgresql://hoptac:p%40ss@db.local:5433/hoptac")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql", "hoptac", "hoptac", "p@ss", "db.local", "5433",
    )  # fmt: skip
    assert pg["OPTIONS"] == {
        "options": "-c random_page_cost=1.1 -c jit=off"
    }  # SSD planning unless the URL says otherwise
    own = parse_database_url("postgresql://h/db?options=-c%20work_mem%3D64MB&sslmode=require")["OPTIONS"]
    assert own == {"options": "-c work_mem=64MB", "sslmode": "require"}
    assert parse_database_url("sqlite:///var/db.sqlite3")["NAME"] == "var/db.sqlite3"
    assert parse_database_url("sqlite:////srv/db.sqlite3")["NAME"] == "/srv/db.sqlite3"
    assert (
        parse_database_url("sqlite:///var/db.sqlite3")["CONN_MAX_AGE"] == 60
    )  # one connection per worker, kept
    assert parse_database_url("sqlite:///var/db.sqlite3?conn_max_age=0")["CONN_MAX_AGE"] == 0
    for bad in ["mysql://x/y", "postgresql://host/", "sqlite://"]:
        with pytest.raises(ImproperlyConfigured):
            parse_database_url(bad)


def test_vietnamese_dates_are_day_first():
    with translation.override("vi"):
        field = forms.DateField()
        assert field.clean("01/07/2025") == datetime.date(2025, 7, 1)
        assert field.clean("31/12/2030") == datetime.date(2030, 12, 31)
        with pytest.raises(forms.ValidationError):
            field.clean("12/31/2030")


def test_english_dates_are_day_first_too():
    with translation.override("en"):
        assert forms.DateField().clean("01/07/2025") == datetime.date(2025, 7, 1)


def test_numbers_and_money_in_vietnamese():
    with translation.override("vi"):
        assert number(1234567) == "1.234.567"
        assert number(1234.5, 1) == "1.234,5"
        assert money(1234567) == "1.234.567 đồng"
    with translation.override("en"):
        assert number(1234567) == "1,234,567"


def _deploy_check(**env) -> str:
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if not k.startswith("HOPTAC_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="hoptac.settings", HOPTAC_SECRET_KEY="k" * 50 + "-Zq8#rT!vW2@pL5$",
        HOPTAC_ALLOWED_HOSTS="hoptac.quangtri.gov.vn", **env,
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "hoptac.manage", "check", "--deploy", "--fail-level", "WARNING", "--tag", "security"],
        capture_output=True, text=True, env=environment, timeout=120,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


def test_production_behind_a_tls_proxy_passes_the_deploy_check():
    code, output = _deploy_check(HOPTAC_BEHIND_PROXY="1")
    assert code == 0, output


def test_the_deploy_check_still_warns_when_tls_is_switched_off():
    code, output = _deploy_check(HOPTAC_BEHIND_PROXY="1", HOPTAC_TLS="0")
    assert code != 0 and "security.W004" in output  # no HSTS


def test_redis_holds_the_shared_caches(monkeypatch):
    import importlib

    import hoptac.settings as real

    monkeypatch.setenv("HOPTAC_REDIS_URL", "redis://127.0.0.1:6379/3")
    try:
        shared = importlib.reload(real)
        assert (
            shared.CACHES["default"]["BACKEND"]
            == shared.CACHES["ratelimit"]["BACKEND"]
            == ("django.core.cache.backends.redis.RedisCache")
        )
        assert shared.CACHES["default"]["KEY_PREFIX"] != shared.CACHES["ratelimit"]["KEY_PREFIX"]
    finally:
        monkeypatch.delenv("HOPTAC_REDIS_URL")
        importlib.reload(real)
