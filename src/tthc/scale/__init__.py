"""Scale-out: exact partitioning and combination (:mod:`tthc.scale.partitions`, :mod:`tthc.scale.combine`), Dask
(:mod:`tthc.scale.dask`, extra ``distributed``) and Arrow batches for Spark's ``mapInArrow``
(:mod:`tthc.scale.arrow_batches`).

Importing this package imports no extra; each module says what it needs.
"""
