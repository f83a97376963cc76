"""Testing kit for downstream suites (extra ``testing``): hypothesis strategies and a pytest plugin."""
