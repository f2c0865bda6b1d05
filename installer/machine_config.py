"""IT's machine file as the packages install it: every setting, commented out at its default,
with what it does and whether it can be locked. Made from hallway.config.SETTINGS, so it never
falls behind the code."""

from __future__ import annotations

from hallway.config import SETTINGS, Setting, toml_literal


def _comment(setting: Setting) -> str:
    notes = [setting.label]
    if setting.choices:
        notes.append("one of " + ", ".join(setting.choices))
    if setting.machine_only:
        notes.append("IT only")
    elif not setting.lockable:
        notes.append("cannot be locked")
    return "; ".join(notes)


def template() -> str:
    lines = [
        "# Hallway: this computer's settings, from IT. Uncomment a line to set it for everyone here.",
        "# Files in hallway.d/ are read after this one, in name order; a later file wins. The package",
        "# writes the server and mode given at install to hallway.d/00-install.toml.",
        "# People may change a setting for themselves in their own file unless it is locked:",
        '#   locked = ["network.server", "quiet_hours.start"]',
        "# Check your changes with: hallway doctor. Tokens never go here (hallway set-token).",
        "",
    ]
    tables: dict[str, list[Setting]] = {}  # each table once, in the schema's order (TOML refuses a second)
    for setting in SETTINGS:
        tables.setdefault(setting.key.partition(".")[0], []).append(setting)
    for table, settings in tables.items():
        lines.append(f"[{table}]")
        for setting in settings:
            name = setting.key.partition(".")[2]
            lines.append(f"# {name} = {toml_literal(setting.default)}  # {_comment(setting)}")
        lines.append("")
    return "\n".join(lines)
