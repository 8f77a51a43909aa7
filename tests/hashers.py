"""Argon2 with the cheapest parameters, for tests only: the same algorithm and hash format as
production (so the real hasher still verifies them), about a hundred times faster to compute."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1
