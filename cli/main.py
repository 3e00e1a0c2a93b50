"""The `wattkey` command: `upload` sends files now, `watch` sends each file dropped in a folder."""

import sys
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from cli.reports import exit_status, print_json, print_outcomes, stdout_console
from cli.sending import Options, Refused, Server, Unexpected, Unreachable
from cli.uploading import NoFiles, csv_files, finish_all, send_all
from cli.watching import StopSignal, Watcher, log, log_to_stderr

DEFAULT_URL = "http://127.0.0.1:8000"
USAGE = 2  # bad usage, a refused key, or no server: the exit status of Typer's usage errors

app = typer.Typer(
    name="wattkey",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Url = Annotated[str, typer.Option("--url", envvar="WATTKEY_URL", help="The server's address.")]
ApiKey = Annotated[
    str | None,
    typer.Option(
        "--api-key", envvar="WATTKEY_API_KEY", show_default=False, help="The application's key."
    ),
]
MeterId = Annotated[str | None, typer.Option(help="The meter of files that name none.")]
Timezone = Annotated[
    str | None, typer.Option(help="The zone of the files' local times, e.g. Europe/Berlin.")
]
ThresholdKwh = Annotated[
    float | None,
    typer.Option(
        "--threshold-kwh", help="Alert above this many kWh a reading (default: the app's)."
    ),
]
Force = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Read a file again even when the same file with the same options was sent "
        "recently (else its report is that upload's: 'duplicate of ...').",
    ),
]
Columns = Annotated[
    str | None,
    typer.Option(
        metavar="JSON",
        help="The columns of a layout the server cannot tell, by their header names, as JSON: "
        '\'{"time": "Zeit", "usage": "Wert", "unit": "Wh"}\' (also "clock", "meter", '
        '"cumulative": true, "time_is_end": true).',
    ),
]


class UsageError(typer.TyperException):
    exit_code = USAGE


def fail(message: str) -> NoReturn:
    """One line on stderr and exit status 2; never a traceback."""
    print(f"wattkey: {message}", file=sys.stderr)
    raise typer.Exit(USAGE)


def connect(url: str, api_key: str | None) -> Server:
    if not api_key:
        raise UsageError("no API key: pass --api-key KEY or set WATTKEY_API_KEY")
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--url must start with http:// or https://, not {url!r}")
    return Server(url, api_key)


def show_version(wanted: bool) -> None:
    if wanted:
        print(f"wattkey {version('wattkey')}")
        raise typer.Exit()


@app.callback()
def wattkey(
    _: Annotated[
        bool,
        typer.Option(
            "--version", callback=show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Send energy CSV files to a Wattkey server with an application's API key."""


@app.command()
def upload(
    paths: Annotated[
        list[Path],
        typer.Argument(
            exists=True,
            show_default=False,
            metavar="PATH",
            help="CSV files, and folders of them (recursively).",
        ),
    ],
    url: Url = DEFAULT_URL,
    api_key: ApiKey = None,
    meter_id: MeterId = None,
    timezone: Timezone = None,
    threshold_kwh: ThresholdKwh = None,
    no_wait: Annotated[
        bool, typer.Option("--no-wait", help="Do not wait for the files to be processed.")
    ] = False,
    gzip: Annotated[
        bool, typer.Option("--gzip", help="Compress the files as they are sent (metered links).")
    ] = False,
    force: Force = False,
    columns: Columns = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print only a JSON array on stdout: the server's report of each file, in order "
            '(a file refused on its own: {"filename", "detail", "code"}).',
        ),
    ] = False,
) -> None:
    """Send CSV files and print their reports.

    Exit status 0: every file completed, no row rejected;
    1: a file failed, had rejected rows, or was refused;
    2: bad usage, a refused key, or no server within two minutes.
    """
    try:
        files = csv_files(paths)
    except NoFiles as error:
        raise UsageError(str(error)) from None
    server = connect(url, api_key)
    options = Options(meter_id, timezone, threshold_kwh, force, columns)
    try:
        progress = Console(stderr=True)
        outcomes = send_all(server, files, options, progress, gzip=gzip)
        if not no_wait:
            outcomes = finish_all(server, outcomes, progress)
    except (Refused, Unreachable, Unexpected) as error:
        fail(str(error))
    finally:
        server.close()
    if as_json:
        print_json(outcomes)
    else:
        print_outcomes(stdout_console(), outcomes, server.url)
    raise typer.Exit(exit_status(outcomes))


@app.command()
def watch(
    folder: Annotated[
        Path,
        typer.Argument(
            exists=True,
            file_okay=False,
            show_default=False,
            metavar="FOLDER",
            help="The folder to watch.",
        ),
    ],
    url: Url = DEFAULT_URL,
    api_key: ApiKey = None,
    meter_id: MeterId = None,
    timezone: Timezone = None,
    threshold_kwh: ThresholdKwh = None,
    force: Force = False,
    columns: Columns = None,
) -> None:
    """Send each CSV file that settles in FOLDER, then move it into sent/ or failed/.

    Runs until SIGTERM or Ctrl-C (exit status 0); exit status 2 when the key is refused.
    """
    server = connect(url, api_key)
    log_to_stderr()
    stop = StopSignal()
    stop.install()
    try:
        Watcher(
            folder, server, Options(meter_id, timezone, threshold_kwh, force, columns), stop
        ).run()
    except Refused as error:
        log.error("stopping: %s", error)
        raise typer.Exit(USAGE) from None
    finally:
        server.close()


def main() -> NoReturn:
    """The console script: usage errors as one line, exit status 2."""
    try:
        status = app(standalone_mode=False)
    except typer.TyperException as error:
        context = getattr(error, "ctx", None)
        command = context.command_path if context else "wattkey"
        print(f"{command}: {error.format_message()} (see {command} --help)", file=sys.stderr)
        status = error.exit_code
    sys.exit(status if isinstance(status, int) else 0)
