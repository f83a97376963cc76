"""The ``/v1`` routes, one module per family; each module's ``router(data)`` builds its routes over the service's
loaded data (closures: no per-request dependency lookup on the hot path)."""
