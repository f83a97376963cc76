"""Tests of the HTTP service (a package, so its conftest does not clash with the root one)."""
