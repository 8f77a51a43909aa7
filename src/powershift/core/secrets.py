"""Secrets generated once and kept in the data folder (development only)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def local_secret(data_dir: Path, name: str, *, fernet: bool = False) -> str:
    """Read DATA_DIR/name, creating it (mode 600) with a fresh random value the first time."""
    path = data_dir / name
    if path.exists():
        return path.read_text().strip()
    if fernet:
        from cryptography.fernet import Fernet

        value = Fernet.generate_key().decode()
    else:
        value = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value
