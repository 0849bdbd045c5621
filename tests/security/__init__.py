"""Hostile input: each test shows one attack refused (issue 13)."""
