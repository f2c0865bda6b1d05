"""What Hallway writes down for IT: stdlib logging to a rotating file and to stderr (the journal,
under systemd), with every secret masked before it is written.

The file lives in the user's log folder (platformdirs), or in the folder systemd gives the kiosk
service (``LOGS_DIRECTORY``), or where ``HALLWAY_LOG_DIR`` says. ``hallway doctor`` reads the last
problems back from it, and ``hallway doctor --bundle`` puts it in the zip sent to IT.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

import platformdirs

LOG_DIR_ENV = "HALLWAY_LOG_DIR"
FILE_NAME = "hallway.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 4
FORMAT = "%(asctime)s %(levelname)s %(process)d %(threadName)s %(name)s: %(message)s"

# What a token looks like wherever it could end up in a message: a bearer header, an OAuth
# parameter, a Matrix access token, a login token in a redirect.
_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[\w.~+/=-]+"),
    re.compile(r"(?i)((?:access_token|refresh_token|login_?token|client_secret|password|token)"
               r"[\"']?\s*[=:]\s*[\"']?)[^\s&\"',;}]+"),
    re.compile(r"([?&]code=)[^&\s]+"),  # an OAuth authorisation code in a redirect
    re.compile(r"\b(syt_)[\w-]+"),  # Synapse's token prefix
)
_secrets: set[str] = set()
_lock = threading.Lock()


def forget_secret_later(secret: str) -> None:
    """Mask this exact value in every later log line (a token as it was read from the keyring)."""
    if secret and len(secret) >= 8:
        with _lock:
            _secrets.add(secret)


def mask(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "***", text)
    with _lock:
        known = tuple(_secrets)
    for secret in known:
        text = text.replace(secret, "***")
    return text


class _Masking(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


def log_dir() -> Path:
    if os.environ.get(LOG_DIR_ENV):
        return Path(os.environ[LOG_DIR_ENV])
    if os.environ.get("LOGS_DIRECTORY"):  # systemd's LogsDirectory= for the kiosk service
        return Path(os.environ["LOGS_DIRECTORY"].split(":")[0])
    return Path(platformdirs.user_log_dir("hallway", appauthor=False))


def log_file() -> Path:
    return log_dir() / FILE_NAME


_configured: list[logging.Handler] = []


def start(app: str, stderr: bool = True, level: int = logging.INFO) -> Path | None:
    """Log to the rotating file (and stderr). Returns the file, or None when it cannot be written
    (a read-only home): then stderr alone carries the log, and that is said once on stderr."""
    root = logging.getLogger()
    for handler in _configured:
        root.removeHandler(handler)
        handler.close()
    _configured.clear()
    root.setLevel(level)
    formatter = _Masking(FORMAT)
    path: Path | None = log_file()
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        file_handler.setFormatter(formatter)
        _configured.append(file_handler)
    except OSError as failure:
        print(f"{app}: cannot write the log file {path} ({failure}); logging to stderr only", file=sys.stderr)
        path = None
    if stderr:
        err = logging.StreamHandler(sys.stderr)
        err.setFormatter(_Masking(f"{app}: %(message)s"))  # the journal stamps time and pid itself
        err.setLevel(logging.WARNING)
        _configured.append(err)
    for handler in _configured:
        root.addHandler(handler)
    logging.captureWarnings(True)
    logging.getLogger("urllib3").setLevel(logging.WARNING)  # it logs every retry with the full URL
    _log_uncaught(app)
    logging.getLogger("hallway").info("%s started (pid %d)", app, os.getpid())
    return path


def _log_uncaught(app: str) -> None:
    """An exception nobody caught, in any thread, is written down before it is lost."""
    log = logging.getLogger(app)

    def on_main(kind: type[BaseException], value: BaseException, tb: object) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            log.critical("uncaught exception", exc_info=(kind, value, tb))  # type: ignore[arg-type]
        sys.__excepthook__(kind, value, tb)  # type: ignore[arg-type]

    def on_thread(args: threading.ExceptHookArgs) -> None:
        log.critical("uncaught exception in thread %s", args.thread.name if args.thread else "?",
                     exc_info=(args.exc_type, args.exc_value, args.exc_traceback))  # type: ignore[arg-type]

    sys.excepthook = on_main
    threading.excepthook = on_thread


def last_problems(count: int = 10, files: Iterable[Path] | None = None) -> list[str]:
    """The newest warnings and errors from the log files, oldest first (for ``hallway doctor``)."""
    candidates = list(files) if files is not None else sorted(
        log_dir().glob(FILE_NAME + "*"), key=lambda p: p.stat().st_mtime if p.exists() else 0)
    found: list[str] = []
    for path in candidates:
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    if " WARNING " in line or " ERROR " in line or " CRITICAL " in line:
                        found.append(line.rstrip()[:400])
        except OSError:
            continue
    return found[-count:]
