"""Loaded before Django's settings: keep tests' data (secrets, SQLite, outbox) out of ./data."""

import os
import tempfile

os.environ.setdefault("POWERSHIFT_DATA_DIR", tempfile.mkdtemp(prefix="powershift-test-"))
os.environ.setdefault("POWERSHIFT_SIGNUP_MIN_SECONDS", "0")
