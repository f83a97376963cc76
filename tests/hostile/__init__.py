"""The hostile corpus and the tests of the guarantees of issue 11 (a package: its conftest must not clash)."""
