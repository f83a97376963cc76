"""pytest plugin of ``tthc`` (entry point ``pytest11``). Fixtures arrive with the testing-kit issue."""
