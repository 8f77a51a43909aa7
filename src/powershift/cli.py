"""The `powershift` command. Exit status: 0 success, 2 bad input (one-line message), 1 failure."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_BAD_INPUT = 2

# Subcommand groups in their own modules under powershift.commands (each has register()).
COMMAND_GROUPS: tuple[str, ...] = (
    "directory",
    "opinion",
    "panel",
    "pb",
)


def _setup_django(*, production: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powershift.settings")
    if production:
        os.environ["POWERSHIFT_PRODUCTION"] = "1"
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate(verbosity=1)
    return 0


def cmd_daily(args: argparse.Namespace) -> int:
    _setup_django()
    from powershift.core import daily

    for name, summary in daily.run_all():
        print(f"{name}: {summary}")
    return 0


def _gunicorn(port: int, workers: int, host: str) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "powershift.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
        "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


def cmd_serve(args: argparse.Namespace) -> int:
    if not os.environ.get("SECRET_KEY"):
        print("powershift serve: SECRET_KEY is not set; set it in the environment "
              "(production mode never generates one)", file=sys.stderr)
        return EXIT_BAD_INPUT
    _setup_django(production=True)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    _migrate()
    os.execv(sys.executable, _gunicorn(args.port, args.workers, args.host))  # noqa: S606
    return 0  # pragma: no cover


def cmd_worker(args: argparse.Namespace) -> int:
    # One BLAS thread per worker: the analyses are small, and many threads on a shared machine
    # made them 5 to 20 times slower. Scale out with more worker processes instead.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _setup_django()
    from django.core.management import call_command

    from powershift.core.tasks import keep_daily_task_queued

    keep_daily_task_queued()
    call_command("db_worker", queue_name="*", reload=False, startup_delay=False,
                 interval=args.interval)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings

    from powershift.demo.riverside import DEMO_PASSWORD, build

    _migrate()
    accounts = build()
    print(f"Riverside demo ready in {settings.DATA_DIR}\n")
    print(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    width = max(len(a.email) for a in accounts)
    for a in accounts:
        print(f"  {a.email:<{width}}  {a.description}")
    if args.no_serve:
        return 0
    print(f"\nServing on http://127.0.0.1:{args.port}/  (Ctrl+C to stop)", flush=True)
    # Stop the server and the worker with us, on Ctrl+C or a kill.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    children = [subprocess.Popen([sys.executable, "-m", "powershift.cli", "worker"]),
                subprocess.Popen(_gunicorn(args.port, 2, "127.0.0.1"))]
    try:
        return children[1].wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=10)


def cmd_import_places(args: argparse.Namespace) -> int:
    _setup_django()
    from tqdm import tqdm

    from powershift.core import actions
    from powershift.core.errors import BadInput
    from powershift.formats.geojson import GeoJSONError, read_places

    try:
        features = read_places(args.file, name_field=args.name_field, code_field=args.code_field,
                               parent_field=args.parent_field)
        with tqdm(total=len(features), unit="place", file=sys.stderr, desc="Importing") as bar:
            def progress(done: int, total: int) -> None:
                bar.update(done - bar.n)

            summary = actions.import_places(
                None, features, kind=args.kind, source=str(args.file), code_field=args.code_field,
                parent_code=args.parent, parent_field=args.parent_field, progress=progress,
            )
    except (GeoJSONError, BadInput) as problem:
        print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"Imported {len(features)} {args.kind} places from {args.file}: "
          f"{summary.created} new, {summary.updated} updated")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["powershift manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="powershift", description="Powershift: share power with the people a place serves.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="create or refresh the Riverside demo and serve it")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help="build the demo data and stop")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="production server (DEBUG off); needs SECRET_KEY")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run background tasks")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("daily", help="run the daily jobs now (the worker runs them each morning; "
                       "use this from cron without a worker)")
    p.set_defaults(func=cmd_daily)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("manage", help="run a Django management command (for operators)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)

    imp = sub.add_parser("import", help="import data").add_subparsers(
        dest="what", required=True, metavar="WHAT")
    p = imp.add_parser("places", help="import place boundaries from a GeoJSON FeatureCollection")
    p.add_argument("file", type=Path, metavar="FILE.geojson")
    p.add_argument("--kind", required=True, help="combined_authority, locality, "
                   "service_neighbourhood, ward, lsoa or natural")
    p.add_argument("--name-field", required=True, help="feature property holding the name")
    p.add_argument("--code-field", required=True, help="feature property holding the unique code")
    parent = p.add_mutually_exclusive_group()
    parent.add_argument("--parent", metavar="CODE", help="code of the place they all lie in")
    parent.add_argument("--parent-field", metavar="F", help="feature property holding the parent's code")
    p.set_defaults(func=cmd_import_places)
    importlib.import_module("powershift.commands.directory").add_import(imp)
    importlib.import_module("powershift.commands.measures").add_import(imp)

    for name in COMMAND_GROUPS:
        importlib.import_module(f"powershift.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
