"""Layered settings: built-in defaults < IT's machine files < the OS's managed settings < the user's file.

One schema (``SETTINGS``) says each key's type, default, label and whether IT may lock
it; the settings window is built from it. The machine files are ``hallway.toml`` and then the
drop-ins in ``hallway.d/*.toml`` in name order (the Linux package writes its install answers to
``hallway.d/00-install.toml``; configuration management can add its own); a later file wins.
A machine file locks keys with a top-level ``locked = ["key", ...]``: the user's value for a
locked key is ignored. On Windows and macOS, Group Policy and configuration profiles set and lock
keys too (hallway.policy). Problems (a
broken file, an unknown key, a wrong type) never stop the app: the bad part falls back
to the layer below and each problem names its file, key and line, for ``hallway doctor``.
Secrets never live here: tokens go to the OS keyring (hallway.signin).
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import urlsplit

import platformdirs

from hallway.model import PEOPLE_SOURCES
from hallway.networks.registry import DEFAULT_KIND, kinds

if TYPE_CHECKING:
    from hallway.policy import Managed

APP = "hallway"
MACHINE_CONFIG_ENV = "HALLWAY_MACHINE_CONFIG"  # IT's file elsewhere (and tests)
USER_CONFIG_ENV = "HALLWAY_USER_CONFIG"
SECRET_WORDS = ("token", "password", "secret")


def _url(value: Any) -> str | None:
    if value == "":
        return None
    parts = urlsplit(str(value))
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return "must be a web address starting with https://"
    return None


def _proxy_url(value: Any) -> str | None:
    text = str(value)
    if text in ("", "direct") or re.fullmatch(r"https?://[^\s/]+:\d{1,5}/?", text):
        return None
    return "must be the proxy as http://host:port (or direct: never a proxy)"


def _pac_url(value: Any) -> str | None:
    text, parts = str(value), urlsplit(str(value))
    if text in ("", "wpad") or (parts.scheme in ("https", "http", "file") and (parts.netloc or parts.path)):
        return None
    return "must be the PAC file's address (http://, https:// or file://), or wpad (found on the network)"


def _copy_place(value: Any) -> str | None:
    text = str(value)
    if text == "" or urlsplit(text).scheme in ("https", "http", "file") or text.startswith(("/", "\\\\")) \
            or re.match(r"[A-Za-z]:[\\/]", text):
        return None
    return "must be a web address (https://...) or a file's full path"


def _network_kind(value: Any) -> str | None:
    return None if value in kinds() else f"must be one of {', '.join(kinds())}"


def _file_place(value: Any) -> str | None:
    text = str(value)
    return None if text == "" or Path(text).is_absolute() or re.match(r"[A-Za-z]:[\\/]", text) else \
        "must be a file's full path"


def _pattern(value: Any) -> str | None:
    try:
        compiled = re.compile(str(value))
    except re.error as wrong:
        return f"must be a regular expression ({wrong})"
    if compiled.fullmatch(""):
        return "must not match an empty read"
    return None


def _people_from(value: Any) -> str | None:
    named = [s.strip() for s in str(value).split(",") if s.strip()]
    wrong = [s for s in named if s not in PEOPLE_SOURCES]
    if wrong or not named:
        return f"must list some of {', '.join(PEOPLE_SOURCES)} (comma-separated, in order)"
    return None


def _time(value: Any) -> str | None:
    return None if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", str(value)) else "must be a time like 18:00"


def _colour(value: Any) -> str | None:
    return None if re.fullmatch(r"#[0-9a-fA-F]{6}", str(value)) else "must be a colour like #2f6f5e"


def _pin_hash(value: Any) -> str | None:
    if value == "" or re.fullmatch(r"scrypt\$\d+\$\d+\$\d+\$[0-9a-f]{16,}\$[0-9a-f]{32,}", str(value)):
        return None
    return "must be the line `hallway-kiosk --hash-pin` prints (a salted hash, never the PIN itself)"


def zone_problem(value: Any) -> str | None:
    from hallway.office_day import zone_problem as problem
    return problem(str(value))


def _positive(value: Any) -> str | None:
    return None if value > 0 else "must be more than 0"


def _not_negative(value: Any) -> str | None:
    return None if value >= 0 else "must be 0 or more"


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    label: str
    lockable: bool = True
    machine_only: bool = False  # IT's file only: the user can never set it
    choices: tuple[str, ...] = ()
    check: Callable[[Any], str | None] | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("network.kind", str, DEFAULT_KIND, "Network type (the networks Hallway speaks: "
            "hallway/networks/registry.py)", check=_network_kind),
    Setting("network.server", str, "", "Server address", check=_url),
    Setting("network.feed", str, "local", "Feed: local (everyone in the company), home (people you follow), "
            "or a #hashtag"),
    Setting("network.lobby_accounts", str, "lobby", "The kiosks' accounts, whose check-ins count "
            "(comma-separated handles)"),
    Setting("network.people_from", str, ",".join(PEOPLE_SOURCES), "Mastodon API: where the kiosk and laptops "
            "read the company's people, in order: directory (the profile directory), admin (the admin accounts "
            "API; the kiosk's token needs admin:read:accounts), followers (the lobby account's followers), "
            "posters (people seen posting in the company feed). After a directory with people in it, no other "
            "source is read", machine_only=True, check=_people_from),
    Setting("network.directory_copy", str, "", "A copy of the company directory IT exports (`hallway "
            "export-directory`, or a kiosk's kiosk.export_directory), read once a day instead of the network's "
            "directory: a web address or a file path (empty: the network's directory)", machine_only=True,
            check=_copy_place),
    Setting("network.media_hosts", str, "", "Other hosts profile photos may come from (comma-separated)",
            machine_only=True),
    Setting("network.link_hosts", str, "", "Other hosts profile links may point to, for the kiosk's QR code "
            "(comma-separated; the server's own always may)", machine_only=True),
    Setting("fields.title", str, "Title", "Profile field for the job title"),
    Setting("fields.team", str, "Team", "Profile field for the team"),
    Setting("fields.office", str, "Office", "Profile field for the office"),
    Setting("fields.hobbies", str, "Hobbies", "Profile field for hobbies"),
    Setting("fields.ask_me_about", str, "Ask me about", "Profile field for \"ask me about\""),
    Setting("fields.pronouns", str, "Pronouns", "Profile field for pronouns"),
    Setting("fields.started", str, "Started", "Profile field for the start date"),
    Setting("fields.email", str, "Email", "Profile field for the work email address (coffee invitations)"),
    Setting("fields.office_days", str, "Office days", "Profile field for the days a person plans to be in"),
    Setting("fields.birthday", str, "Birthday", "Profile field for the birthday (day and month only, never the year)"),
    Setting("fields.celebrate", str, "Celebrate", "Profile field where a person says yes to being celebrated"),
    Setting("proxy.url", str, "", "The company's proxy, as http://host:port, for every request Hallway makes "
            "(direct: never a proxy); empty: a PAC file (proxy.pac_url), else this computer's own settings",
            check=_proxy_url),
    Setting("proxy.pac_url", str, "", "The proxy auto-config (PAC) file's address, or wpad (found on the company's "
            "network); empty: this computer's own settings", check=_pac_url),
    Setting("proxy.no_proxy", str, "", "Hosts reached directly, never through the proxy (comma-separated: a host, "
            ".a-domain, an address or network such as 10.0.0.0/8)"),
    Setting("proxy.direct_if_pac_fails", bool, False, "When the PAC file cannot be fetched or does not answer, go "
            "direct instead of failing (off: Hallway says the PAC file is the trouble, and waits)"),
    Setting("tls.client_certificate", str, "", "A client certificate for servers that ask for one (mutual TLS): "
            "a PKCS#12 file (.p12/.pfx), or a PEM file holding the certificate, and its key unless "
            "tls.client_key names another file; a passphrase is asked once and kept in the keyring"),
    Setting("tls.client_key", str, "", "The client certificate's private key (a PEM file, with or without a "
            "passphrase), where it is not in tls.client_certificate's file"),
    Setting("report.record", bool, True, "Count quiz plays (anonymously) on the kiosk for hallway report; off: "
            "nothing is recorded"),
    Setting("celebrations.kinds", str, "", "What to celebrate, for people who said yes: birthdays, anniversaries, "
            "new_joiners (comma-separated; empty: nothing)"),
    Setting("matrix.everyone_room", str, "#everyone", "Matrix: the room whose members are the organisation, "
                                                      "and whose messages are the feed"),
    Setting("matrix.announcements_room", str, "#announcements", "Matrix: the announcements room"),
    Setting("matrix.lobby_room", str, "#lobby", "Matrix: the room the kiosk writes check-ins to"),
    Setting("viva_engage.tenant", str, "", "Viva Engage: the company's Microsoft Entra tenant (its id or "
            "domain, such as contoso.onmicrosoft.com)", machine_only=True),
    Setting("viva_engage.client_id", str, "", "Viva Engage: the application (client) id of Hallway's app "
            "registration in Microsoft Entra ID (docs/admin.md)", machine_only=True),
    Setting("viva_engage.communities", str, "", "Viva Engage: the communities whose threads the feed shows beside "
            "All Company (comma-separated names)", machine_only=True),
    Setting("viva_engage.lobby_community", str, "Lobby check-ins", "Viva Engage: the community the kiosk writes "
            "check-ins to (one thread per office per day)", machine_only=True),
    Setting("viva_engage.work_location", bool, False, "Viva Engage: when I check in at the kiosk, show me in the "
            "office for the day in Teams and Outlook (my Microsoft 365 work location)"),
    Setting("viva_engage.login", str, "https://login.microsoftonline.com", "Viva Engage: Microsoft's sign-in "
            "address (another only for a national cloud)", machine_only=True, check=_url),
    Setting("viva_engage.graph", str, "https://graph.microsoft.com", "Viva Engage: Microsoft Graph's address "
            "(another only for a national cloud)", machine_only=True, check=_url),
    Setting("chatter.consumer_key", str, "", "Chatter: the consumer key of Hallway's External Client App in "
            "Salesforce (docs/admin.md)", machine_only=True),
    Setting("chatter.groups", str, "", "Chatter: groups whose posts are feeds of their own beside the company feed "
            "(comma-separated names)", machine_only=True),
    Setting("chatter.lobby_group", str, "Lobby check-ins", "Chatter: the group the kiosk writes check-ins to (one "
            "post per office per day)", machine_only=True),
    Setting("chatter.announcements_group", str, "All Company", "Chatter: the group whose announcements Hallway "
            "shows", machine_only=True),
    Setting("chatter.daily_calls", int, 0, "Chatter: the most API calls one computer makes a day (0: half the org's "
            "24-hour allocation shared among its people, between 100 and 1,000: docs/admin.md)", machine_only=True,
            check=_not_negative),
    Setting("office.name", str, "", "This office's name"),
    Setting("office.timezone", str, "", "This office's time zone, such as Europe/Lisbon (empty: the computer's)",
            check=zone_problem),
    Setting("appearance.theme", str, "system", "Theme", choices=("system", "light", "dark")),
    Setting("appearance.accent", str, "#2f6f5e", "Accent colour", check=_colour),
    Setting("appearance.logo", str, "", "Logo image file"),
    Setting("kiosk.badge_key_gap_ms", int, 50, "Badge reader: most milliseconds between keys", check=_positive),
    Setting("kiosk.badge_pattern", str, "[0-9A-Fa-f]{4,20}", "Badge reader: what a badge number looks like, as a "
            "regular expression the whole read must match (default: 4 to 20 digits or hex digits, what common "
            "readers send); any other read is asked to scan again and never linked", machine_only=True,
            check=_pattern),
    Setting("kiosk.card_seconds", int, 20, "Seconds the colleague card stays", check=_positive),
    Setting("kiosk.idle_seconds", int, 45, "Seconds before returning to the welcome screen", check=_positive),
    Setting("kiosk.quiz", str, "sometimes", "Quiz", choices=("off", "sometimes", "always")),
    Setting("kiosk.leaderboard", bool, False, "Show a quiz leaderboard"),
    Setting("kiosk.hide_cursor", bool, True, "Hide the mouse cursor"),
    Setting("kiosk.export_directory", str, "", "Where the kiosk writes a copy of the company directory after "
            "each read, for laptops (network.directory_copy; a file path; .gz compresses it)", machine_only=True,
            check=_file_place),
    Setting("kiosk.admin_pin_hash", str, "", "Admin PIN (salted hash)", machine_only=True, check=_pin_hash),
    Setting("notifications.mentions", bool, True, "Notify me of mentions"),
    Setting("notifications.replies", bool, True, "Notify me of replies"),
    Setting("notifications.announcements", bool, True, "Notify me of announcements"),
    Setting("notifications.colleague", bool, True, "Show the colleague of the day"),
    Setting("quiet_hours.enabled", bool, True, "Quiet hours"),
    Setting("quiet_hours.start", str, "18:00", "Quiet from", check=_time),
    Setting("quiet_hours.end", str, "08:00", "Quiet until", check=_time),
    Setting("quiet_hours.weekends", bool, True, "Quiet at weekends"),
    Setting("desktop.autostart", bool, True, "Start Hallway when I sign in"),
    Setting("desktop.calendar", str, "system", "Coffee invitations open in: system (the computer's calendar "
            "app), outlook (Outlook on the web), or google (Google Calendar)", choices=("system", "outlook", "google")),
    Setting("desktop.outlook_host", str, "outlook.office.com", "Outlook on the web's address (outlook.office.com, "
            "or outlook.live.com)", machine_only=True),
    Setting("office_week.share", bool, False, "Share the days I plan to be in with colleagues"),
    Setting("privacy.photo_cache_mb", int, 200, "Photo cache size (MB)", check=_positive),
    Setting("privacy.checkin_log_days", int, 30, "Days to keep the check-in log", check=_positive),
    Setting("sync.interval_s", int, 300, "Seconds between syncs when there is no stream", check=_positive),
    Setting("sync.max_people", int, 50_000, "Most colleagues read from the directory: the company's size with room "
            "to grow (a server listing more is read that far, and no further)", machine_only=True, check=_positive),
)
BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}

# The settings read as words (a key added to SETTINGS goes in one of these three: tests/test_config.py)
TextKey = Literal["network.kind", "network.server", "network.feed", "network.lobby_accounts",
    "network.people_from", "network.directory_copy", "network.media_hosts", "network.link_hosts", "fields.title",
    "fields.team", "fields.office", "fields.hobbies", "fields.ask_me_about", "fields.pronouns", "fields.started",
    "fields.email", "fields.office_days", "fields.birthday", "fields.celebrate", "proxy.url", "proxy.pac_url",
    "proxy.no_proxy", "tls.client_certificate", "tls.client_key", "celebrations.kinds", "matrix.everyone_room",
    "matrix.announcements_room", "matrix.lobby_room", "viva_engage.tenant", "viva_engage.client_id",
    "viva_engage.communities", "viva_engage.lobby_community", "viva_engage.login", "viva_engage.graph",
    "chatter.consumer_key", "chatter.groups", "chatter.lobby_group", "chatter.announcements_group", "office.name",
    "office.timezone", "appearance.theme", "appearance.accent", "appearance.logo", "kiosk.badge_pattern",
    "kiosk.quiz", "kiosk.export_directory", "kiosk.admin_pin_hash", "quiet_hours.start", "quiet_hours.end",
    "desktop.calendar", "desktop.outlook_host"]
# The settings that are on or off
SwitchKey = Literal["proxy.direct_if_pac_fails", "report.record", "viva_engage.work_location", "kiosk.leaderboard",
    "kiosk.hide_cursor", "notifications.mentions", "notifications.replies", "notifications.announcements",
    "notifications.colleague", "quiet_hours.enabled", "quiet_hours.weekends", "desktop.autostart",
    "office_week.share"]
# The settings that are whole numbers
NumberKey = Literal["chatter.daily_calls", "kiosk.badge_key_gap_ms", "kiosk.card_seconds", "kiosk.idle_seconds",
    "privacy.photo_cache_mb", "privacy.checkin_log_days", "sync.interval_s", "sync.max_people"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a config file, in words for the person fixing it."""

    file: Path
    message: str
    key: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}" + (f", line {self.line}" if self.line else "")
        return f"{where}: {self.key + ': ' if self.key else ''}{self.message}"


@dataclass
class Config:
    """The settings in force, where each came from, and which IT has locked."""

    values: dict[str, Any]
    sources: dict[str, str]  # key -> "default" | "machine" | "user"
    locked: frozenset[str]
    problems: list[Problem] = field(default_factory=list)
    lock_reasons: dict[str, str] = field(default_factory=dict)  # a locked key -> IT's words for why
    machine_file: Path | None = None
    user_file: Path | None = None
    read_from: list[str] = field(default_factory=list)  # every file or store that set something

    # Read by a key written out, a setting has its type (``config["network.feed"]`` is a str, a
    # misspelt key is no setting); read by a key in a variable (the settings window), an object.
    @overload
    def __getitem__(self, key: TextKey) -> str: ...

    @overload
    def __getitem__(self, key: SwitchKey) -> bool: ...

    @overload
    def __getitem__(self, key: NumberKey) -> int: ...

    @overload
    def __getitem__(self, key: str) -> object: ...

    def __getitem__(self, key: str) -> object:
        return self.values[key]

    def listed(self, key: str) -> tuple[str, ...]:
        """A comma-separated setting as its items (a handle's leading @ dropped)."""
        return tuple(item.strip().lstrip("@") for item in str(self[key]).split(",") if item.strip())

    def is_locked(self, key: str) -> bool:
        return key in self.locked


def machine_config_path() -> Path:
    """IT's file: /etc/hallway/hallway.toml, %PROGRAMDATA%\\Hallway\\hallway.toml, or macOS's."""
    if os.environ.get(MACHINE_CONFIG_ENV):
        return Path(os.environ[MACHINE_CONFIG_ENV])
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Hallway" / "hallway.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Hallway/hallway.toml")
    return Path("/etc/hallway/hallway.toml")


def user_config_path() -> Path:
    if os.environ.get(USER_CONFIG_ENV):
        return Path(os.environ[USER_CONFIG_ENV])
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "hallway.toml"


def drop_ins(machine_file: Path) -> list[Path]:
    """The machine file's drop-in folder, ``hallway.d/*.toml`` beside it, in the order they apply."""
    folder = machine_file.parent / "hallway.d"
    try:
        return sorted(folder.glob("*.toml"))
    except OSError:
        return []


def load(machine_file: Path | None = None, user_file: Path | None = None,
         managed: Managed | bool | None = True) -> Config:
    """Read every layer. ``managed`` is what the OS's management tools say (hallway.policy):
    True reads this computer's, None or False reads none, and tests give their own."""
    machine_file = machine_file or machine_config_path()
    user_file = user_file or user_config_path()
    config = Config({s.key: s.default for s in SETTINGS}, {s.key: "default" for s in SETTINGS},
                    frozenset(), machine_file=machine_file, user_file=user_file)
    locked: set[str] = set()
    for path in [machine_file, *drop_ins(machine_file)]:
        machine, machine_text = _read(path, config.problems)
        if machine or machine_text:
            config.read_from.append(str(path))
        locked |= set(_locks(machine.pop("locked", []), path, machine_text, config.problems))
        config.lock_reasons |= _lock_reasons(machine.pop("locked_why", {}), path, machine_text, config.problems)
        _apply(config, machine, path, machine_text, "machine")
    if managed is True:
        from hallway.policy import for_this_os
        managed = for_this_os()
    if managed:
        where = Path(managed.source)
        config.read_from.append(managed.source)
        config.problems += [Problem(where, problem) for problem in managed.problems]
        _apply(config, managed.preset, where, "", "machine")
        locked |= set(_locks(list(managed.locked), where, "", config.problems))
        _apply(config, managed.enforced, where, "", "machine")
        locked |= set(managed.enforced) & set(BY_KEY)
    user, user_text = _read(user_file, config.problems)
    user.pop("locked", None)  # only IT can lock, and say why
    user.pop("locked_why", None)
    for key in locked & set(flatten(user)):
        config.problems.append(Problem(user_file, "is set by your organisation; your value is ignored",
                                       key, _line_of(user_text, key)))
    _apply(config, {k: v for k, v in flatten(user).items() if k not in locked}, user_file, user_text, "user")
    config.locked = frozenset(k for k in locked if k in BY_KEY and BY_KEY[k].lockable)
    general = config.lock_reasons.pop("*", "")
    config.lock_reasons = {k: config.lock_reasons.get(k, general) for k in config.locked
                           if config.lock_reasons.get(k, general)}
    return config


MAX_FILE_BYTES = 1024 * 1024


def read_settings_file(path: Path) -> str:
    """A settings file's text. Anything that is not a regular file (a FIFO would block the read
    for ever, a device would never end) or is implausibly large is refused with OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path} is not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise OSError(f"{path} is {info.st_size // 1024} KB, more than a settings file can be")
        data = b""
        while len(data) <= MAX_FILE_BYTES:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    return data.decode("utf-8")


def _read(path: Path, problems: list[Problem]) -> tuple[dict[str, Any], str]:
    try:
        text = read_settings_file(path)
    except FileNotFoundError:
        return {}, ""
    except (OSError, UnicodeDecodeError) as unreadable:
        problems.append(Problem(path, f"cannot be read ({unreadable.__class__.__name__}: {unreadable})"))
        return {}, ""
    too_deep = _too_deep(text)
    if too_deep:
        problems.append(Problem(path, f"is nested more than {MAX_NESTING} levels deep, which no Hallway setting "
                                      "is; using the settings below it", line=too_deep))
        return {}, text
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as broken:
        line = re.search(r"line (\d+)", str(broken))
        problems.append(Problem(path, f"is not valid TOML ({broken}); using the settings below it",
                                line=int(line[1]) if line else None))
        return {}, text
    except RecursionError:  # what the scan above did not see coming: still a sentence, never a crash
        problems.append(Problem(path, "is nested too deeply to read; using the settings below it"))
        return {}, text


MAX_NESTING = 8  # Hallway's settings are two levels deep; arrays of tables a few more at most


def _too_deep(text: str) -> int | None:
    """The line where brackets or a dotted name go deeper than ``MAX_NESTING``, if any: checked
    before parsing, because the parser (and ``flatten``) recurse once per level and a small file
    of brackets would end in a RecursionError."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        quote = ""
        for at, char in enumerate(line):
            if quote:
                if char == quote and line[at - 1] != "\\":
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
            elif char in "]}":
                depth = max(0, depth - 1)
            if depth > MAX_NESTING:
                return number
        key = line.split("=", 1)[0] if "=" in line else line
        if key.count(".") >= MAX_NESTING and not quote:
            return number
    return None


MAX_REASON = 200


def _lock_reasons(value: Any, path: Path, text: str, problems: list[Problem]) -> dict[str, str]:
    """IT's words for why settings are locked, shown under them in the person's settings: one
    sentence for every locked key (``locked_why = "..."``) or one per key (a table)."""
    value = {"*": value} if isinstance(value, str) else flatten(value) if isinstance(value, dict) else value
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        problems.append(Problem(path, "must be a sentence, or a table of setting names and sentences", "locked_why",
                                _line_of(text, "locked_why")))
        return {}
    reasons = {}
    for key, words in value.items():
        if key != "*" and key not in BY_KEY:
            problems.append(Problem(path, f"gives a reason for an unknown setting {key!r}", "locked_why",
                                    _line_of(text, "locked_why")))
            continue
        words = " ".join(str(words).split())
        reasons[key] = words if len(words) <= MAX_REASON else words[:MAX_REASON - 1].rstrip() + "…"
    return reasons


def _locks(value: Any, path: Path, text: str, problems: list[Problem]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        problems.append(Problem(path, "must be a list of setting names", "locked", _line_of(text, "locked")))
        return []
    for key in value:
        if key not in BY_KEY:
            problems.append(Problem(path, f"locks an unknown setting {key!r}", "locked", _line_of(text, "locked")))
    return [k for k in value if k in BY_KEY]


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested tables as dotted keys: ``{"quiet_hours": {"start": ...}}`` -> ``quiet_hours.start``."""
    flat: dict[str, Any] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{key}."))
        else:
            flat[key] = value
    return flat


def _apply(config: Config, tree: Mapping[str, Any], path: Path, text: str, source: str) -> None:
    for key, value in flatten(tree).items():
        line = _line_of(text, key)
        setting = BY_KEY.get(key)
        if any(word in key.lower() for word in SECRET_WORDS) and setting is None:
            config.problems.append(Problem(path, "secrets do not belong in a config file; use "
                                                 "`hallway set-token` (it stores them in the keyring)", key, line))
            continue
        if setting is None:
            config.problems.append(Problem(path, "is not a Hallway setting", key, line))
            continue
        if source == "user" and setting.machine_only:
            config.problems.append(Problem(path, "can only be set by IT in the machine file", key, line))
            continue
        if (setting.type is int and isinstance(value, bool)) or not isinstance(value, setting.type):
            wanted = {str: "text", int: "a whole number", bool: "true or false"}.get(setting.type, "")
            config.problems.append(Problem(path, f"must be {wanted}, not {value!r}", key, line))
            continue
        if setting.choices and value not in setting.choices:
            config.problems.append(Problem(path, f"must be one of {', '.join(setting.choices)}", key, line))
            continue
        complaint = setting.check(value) if setting.check else None
        if complaint:
            config.problems.append(Problem(path, complaint, key, line))
            continue
        config.values[key] = value
        config.sources[key] = source


def _line_of(text: str, key: str) -> int | None:
    """Where ``key`` (dotted) is set in a TOML text: under its [table], or dotted at top level."""
    if not text:
        return None
    table, _, name = key.rpartition(".")
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            current = header[1]
            continue
        assigned = re.match(r'"?([\w.\- ]+?)"?\s*=', stripped)
        if assigned and (f"{current}.{assigned[1]}" if current else assigned[1]) == key:
            return number
        if assigned and not current and assigned[1] == name and not table:
            return number
    return None


def save_user_value(key: str, value: Any, path: Path | None = None) -> None:
    """Change one setting in the user's file, keeping the rest of it (used by the settings window)."""
    setting = BY_KEY[key]
    if not isinstance(value, setting.type):
        raise TypeError(f"{key} must be {setting.type.__name__}")
    path = path or user_config_path()
    current: dict[str, Any] = {}
    if path.exists():
        try:
            current = flatten(tomllib.loads(read_settings_file(path)))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            current = {}
    current[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(_to_toml(current), "utf-8")
    tmp.replace(path)


def toml_literal(value: Any) -> str:
    """A setting's value as TOML writes it (settings are text, whole numbers or true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _to_toml(flat: Mapping[str, Any]) -> str:
    tables: dict[str, dict[str, Any]] = {}
    for key, value in sorted(flat.items()):
        table, _, name = key.rpartition(".")
        tables.setdefault(table, {})[name] = value

    lines = ["# Hallway settings. Your organisation may lock some of these.", ""]
    for table, values in tables.items():
        if table:
            lines.append(f"[{table}]")
        lines += [f"{name} = {toml_literal(value)}" for name, value in values.items()]
        lines.append("")
    return "\n".join(lines)
