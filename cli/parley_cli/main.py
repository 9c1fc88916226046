"""The `parley` command."""

import argparse
import os
import sys

from parley_cli import export, moderate, rerender
from parley_cli.importing import command as importing
from parley_cli.importing.records import MalformedFile


def _dev(arguments: argparse.Namespace) -> int:
    from parley_cli.localstack import serve

    if arguments.verbose:
        os.environ["PARLEY_DEV_VERBOSE"] = "1"
    if arguments.parameter_overrides is not None:
        os.environ["PARLEY_PARAMETER_OVERRIDES"] = arguments.parameter_overrides
    os.environ["PARLEY_DATA_DIR"] = arguments.data_dir
    if arguments.fresh:
        os.environ["PARLEY_FRESH"] = "1"
    try:
        serve(arguments.port, arguments.lambda_port)
    except RuntimeError as error:  # e.g. another stack holds the data directory
        print(f"parley dev: {error}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley", description="Parley: comments for static sites.")
    commands = parser.add_subparsers(dest="command", required=True)
    dev = commands.add_parser("dev", help="run the whole stack on 127.0.0.1, AWS embedded through moto")
    dev.add_argument(
        "--port", type=int, default=int(os.environ.get("PORT", "3000")), help="API and pages (PORT)"
    )
    dev.add_argument(
        "--lambda-port",
        type=int,
        default=int(os.environ.get("LAMBDA_PORT", "3001")),
        help="the Lambda Invoke API (LAMBDA_PORT)",
    )
    dev.add_argument("--verbose", action="store_true", help="log every request and the functions' logs")
    dev.add_argument(
        "--parameter-overrides",
        default=None,
        help="template parameters, as sam takes them: 'RateLimitPerMinute=100 ModeratorEmail=me@example.com' "
        "(also PARLEY_PARAMETER_OVERRIDES)",
    )
    dev.add_argument(
        "--data-dir",
        default=os.environ.get("PARLEY_DATA_DIR", ".parley"),
        help="where the stack keeps its data between runs (PARLEY_DATA_DIR; default .parley)",
    )
    dev.add_argument(
        "--fresh", action="store_true", help="start empty: forget the data kept so far (make dev FRESH=1)"
    )
    dev.set_defaults(run=_dev)
    moderate.add_parser(commands)
    importing.add_parser(commands)
    export.add_parser(commands)
    rerender.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        result: int = arguments.run(arguments)
    except (moderate.ModerationFailed, MalformedFile) as error:
        print(f"parley: {error}", file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
