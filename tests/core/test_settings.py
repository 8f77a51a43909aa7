"""Settings from the environment, production checks and security headers."""

from __future__ import annotations

import os
import subprocess
import sys

from django.urls import reverse


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY")}
    return subprocess.run([sys.executable, *args], env={**clean, **env}, capture_output=True,
                          text=True, timeout=120)


def test_check_deploy_is_clean_in_production(tmp_path) -> None:
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                  POWERSHIFT_PRODUCTION="1", POWERSHIFT_DATA_DIR=str(tmp_path),
                  SECRET_KEY="x" * 20 + "production-secret-key-for-check-deploy-0123456789",
                  FIELD_ENCRYPTION_KEY="2Zqk6N8C0W9oJbq5vKjv3bX8m0m8mUoJ3x7H7a2xJ4s=",
                  ALLOWED_HOSTS="powershift.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path) -> None:
    result = _run(["-m", "powershift.cli", "serve"], POWERSHIFT_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_development_secret_is_generated_once_and_kept(tmp_path) -> None:
    from powershift.core.secrets import local_secret

    first = local_secret(tmp_path, "secret_key")
    assert local_secret(tmp_path, "secret_key") == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_security_headers_and_csp(client, db) -> None:
    response = client.get(reverse("core:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_default_database_is_sqlite_in_wal_mode_in_the_data_dir(tmp_path) -> None:
    import sqlite3

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run([sys.executable, "-m", "powershift.cli", "migrate"],
                            env={**env, "POWERSHIFT_DATA_DIR": str(tmp_path)},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "powershift.sqlite3"
    assert database.exists()
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
