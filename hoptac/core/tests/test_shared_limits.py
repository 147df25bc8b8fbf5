"""With Redis configured, a limit is one limit for every worker (two gunicorn workers, real HTTP)."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

REDIS = ("127.0.0.1", 6379)


def redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def two_workers(tmp_path):
    if not redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI: Redis is not reachable on 127.0.0.1:6379; the shared limits must be tested on it."
            )
        pytest.skip("Redis is not running on 127.0.0.1:6379 (CI always runs this test).")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOPTAC_", "DATABASE_URL", "DJANGO_"))}
    env.update(
        HOPTAC_DEBUG="1", HOPTAC_VAR_DIR=str(tmp_path), HOPTAC_REDIS_URL="redis://127.0.0.1:6379/14",
        HOPTAC_TRACE_RATE_PER_MINUTE="40", DJANGO_SETTINGS_MODULE="hoptac.settings",
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "hoptac.manage", "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
        timeout=300,
    )
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "hoptac.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_public_page_limit_holds_across_two_workers(two_workers):
    if time.time() % 60 > 50:  # a fixed one-minute window: don't straddle its end
        time.sleep(61 - time.time() % 60)
    answers = []
    for _ in range(120):
        try:
            answers.append(urllib.request.urlopen(f"{two_workers}/t/ABCDEFGHJK/", timeout=5).status)
        except urllib.error.HTTPError as error:
            answers.append(error.code)
    assert answers.count(404) == 40  # unknown code: looked up, within the limit
    assert answers.count(429) == 80
