"""One-time codes for letters (voting, panel invitations) and unique slugs for public addresses."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils.text import slugify

# No look-alikes (0/O, 1/I/L): people type these from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(groups: int = 3, size: int = 4) -> str:
    """A random code in dashed groups, e.g. ABCD-EFGH-JKMN (12 characters: about 60 bits)."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(size)) for _ in range(groups))


def code_hash(code: str) -> str:
    """What is stored of a code: SHA-256 of it with case, spaces and dashes ignored."""
    return hashlib.sha256("".join(c for c in code.upper() if c.isalnum()).encode()).hexdigest()


def unique_slug(model: type[models.Model], text: str, fallback: str, *, length: int = 70) -> str:
    """A slug for `text` not yet used by `model.slug`: 'title', then 'title-2', 'title-3'..."""
    base = slugify(text)[:length] or fallback
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
