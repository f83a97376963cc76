"""`tthc serve` — the HTTP API (extra ``server``): FastAPI on uvicorn, loopback by default."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import attrs
import click

from tthc.cli._common import EXIT_OK, EXIT_USAGE, WordedCommand, examples
from tthc.foundation.i18n import N_

_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@click.command(
    "serve",
    cls=WordedCommand,
    help=N_(
        "Serve the HTTP API (OpenAPI at /v1/openapi.json, docs at /docs).\n\n"
        "The API key, when wanted, comes from the environment variable TTHC_API_KEY (clients send it in "
        "X-API-Key)."
    ),
    epilog=examples(
        "tthc serve --print-openapi > openapi.json",
        "TTHC_API_KEY=change-me tthc serve --host 0.0.0.0 --port 8080 --workers 2",
    ),
)
@click.option("--host", default="127.0.0.1", show_default=True, help=N_("Interface to bind (loopback by default)."))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help=N_("TCP port."))
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help=N_("Worker processes."))
@click.option("--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("Catalog file (default: the bundled sample)."))  # fmt: skip
@click.option("--schedule", "schedule_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("A public-sector schedule file replacing the bundled one."))  # fmt: skip
@click.option(
    "--no-culture-day", is_flag=True, help=N_("Treat 24 Nov (Ngày Văn hóa Việt Nam, [open]) as a working day.")
)
@click.option("--reductions", "reductions_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=N_("A reductions file applied to every due date (see docs/deadlines.md)."))  # fmt: skip
@click.option("--example-reductions", is_flag=True, help=N_("Apply the bundled EXAMPLE reductions (not real figures)."))
@click.option("--max-batch-items", type=click.IntRange(1), default=10_000, show_default=True,
              help=N_("Most items in one /v1/due/batch request."))  # fmt: skip
@click.option("--max-body-bytes", type=click.IntRange(1), default=8 << 20, show_default=True,
              help=N_("Largest JSON request body."))  # fmt: skip
@click.option("--max-upload-bytes", type=click.IntRange(1), default=64 << 20, show_default=True,
              help=N_("Largest record file uploaded to /v1/records/*."))  # fmt: skip
@click.option("--upload-timeout", type=click.FloatRange(min=0.001), default=120.0, show_default=True,
              help=N_("Seconds a client may take to send a request body."))  # fmt: skip
@click.option(
    "--cors-origin", "cors_origins", multiple=True, help=N_("An origin allowed by CORS (repeat; default none).")
)
@click.option("--no-access-log", is_flag=True, help=N_("Do not write the structured access log to stderr."))
@click.option("--print-openapi", is_flag=True, help=N_("Print the OpenAPI document and exit (docs/openapi.json)."))
def command(
    host: str,
    port: int,
    workers: int,
    catalog_path: Path | None,
    schedule_path: Path | None,
    no_culture_day: bool,
    reductions_path: Path | None,
    example_reductions: bool,
    max_batch_items: int,
    max_body_bytes: int,
    max_upload_bytes: int,
    upload_timeout: float,
    cors_origins: tuple[str, ...],
    no_access_log: bool,
    print_openapi: bool,
) -> int:
    try:
        import uvicorn

        from tthc.server.app import CONFIG_ENV, app_from_environment, create_app
        from tthc.server.config import ServerConfig
    except ImportError as exc:
        message = f"tthc serve: needs the 'server' extra ({exc.name} is missing): pip install 'tthc[server]'"
        click.echo(message, err=True)
        return EXIT_USAGE

    config = ServerConfig.from_env(
        catalog=catalog_path,
        schedule=schedule_path,
        culture_day=not no_culture_day,
        reductions=reductions_path,
        example_reductions=example_reductions,
        max_batch_items=max_batch_items,
        max_body_bytes=max_body_bytes,
        max_upload_bytes=max_upload_bytes,
        upload_timeout_s=upload_timeout,
        cors_origins=cors_origins,
        access_log=not no_access_log,
    )
    if print_openapi:
        # the document of the default deployment: without the API key scheme, whatever the environment holds
        spec = create_app(attrs.evolve(config, api_key=None, access_log=False)).openapi()
        click.echo(json.dumps(spec, ensure_ascii=False, indent=2))
        return EXIT_OK
    if host not in _LOOPBACK and config.api_key is None:
        click.echo(
            f"tthc serve: warning: binding {host} (not loopback) without an API key; set TTHC_API_KEY or put the "
            "service behind a reverse proxy that authenticates",
            err=True,
        )
    if not no_access_log:
        handler = logging.StreamHandler(sys.stderr)
        access = logging.getLogger("tthc.server.access")
        access.addHandler(handler)
        access.setLevel(logging.INFO)
    if workers == 1:
        app = create_app(config)  # load the data now: a bad data file is a one-line error, not a crashed worker
        uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")
    else:
        # worker processes build their own app from the same config, handed over through the environment
        os.environ[CONFIG_ENV] = config_to_json(config)
        create_app(config)  # fail here, once, on a bad data file
        uvicorn.run(
            f"{app_from_environment.__module__}:{app_from_environment.__name__}",
            factory=True, host=host, port=port, workers=workers, access_log=False, log_level="warning",
        )  # fmt: skip
    return EXIT_OK


def config_to_json(config: object) -> str:
    """The fields of a :class:`~tthc.server.config.ServerConfig` a worker needs, as JSON (never the API key: workers
    read it from the environment themselves)."""
    fields = attrs.asdict(config, filter=lambda a, _: a.name not in ("api_key", "rules"))  # type: ignore[arg-type]
    return json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in fields.items()})
