"""Settings layer as IT and people expect, and bad files never stop the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from hallway import config
from hallway.policy import Managed

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_defaults_then_machine_then_user(tmp_path: Path) -> None:
    machine = write(tmp_path / "etc/hallway.toml", '[network]\nserver = "https://social.example"\n'
                    '[kiosk]\nquiz = "always"\n')
    user = write(tmp_path / "user.toml", '[kiosk]\nquiz = "off"\n[appearance]\ntheme = "dark"\n')
    settings = config.load(machine, user)
    assert settings.problems == []
    assert settings["network.server"] == "https://social.example"
    assert settings["kiosk.quiz"] == "off" and settings.sources["kiosk.quiz"] == "user"
    assert settings["appearance.theme"] == "dark"
    assert settings["kiosk.card_seconds"] == 20 and settings.sources["kiosk.card_seconds"] == "default"


def test_it_can_lock_a_setting(tmp_path: Path) -> None:
    machine = write(tmp_path / "m.toml", 'locked = ["quiet_hours.start", "network.server"]\n'
                    '[quiet_hours]\nstart = "17:30"\n')
    user = write(tmp_path / "u.toml", '[quiet_hours]\nstart = "22:00"\nend = "07:00"\n')
    settings = config.load(machine, user)
    assert settings["quiet_hours.start"] == "17:30" and settings.is_locked("quiet_hours.start")
    assert settings["quiet_hours.end"] == "07:00" and not settings.is_locked("quiet_hours.end")
    assert settings.is_locked("network.server")
    [problem] = settings.problems
    assert problem.key == "quiet_hours.start" and problem.line == 2 and "organisation" in problem.message


def test_it_can_say_why_a_setting_is_locked_and_the_settings_window_shows_it(
        tmp_path: Path, english: object) -> None:
    """#28: a locked key shows IT's reason, not only that it is locked; one sentence for every
    locked key, or one per key; a person's file cannot give reasons; a reason for a key that is
    not locked is never shown."""
    from PySide6.QtWidgets import QLabel

    from desktop.views.settings_window import SettingsWindow

    machine = write(tmp_path / "m.toml", 'locked = ["quiet_hours.start", "quiet_hours.end", "desktop.calendar"]\n'
                    'locked_why = "Agreed with the works council <b>2026</b>."\n'
                    '[quiet_hours]\nstart = "19:00"\n')
    user = write(tmp_path / "u.toml", 'locked_why = "mine"\n')
    settings = config.load(machine, user, managed=None)
    assert settings.problems == []
    assert settings.lock_reasons == {key: "Agreed with the works council <b>2026</b>." for key in
                                     ("quiet_hours.start", "quiet_hours.end", "desktop.calendar")}
    machine.write_text('locked = ["quiet_hours.start"]\n[locked_why]\n'
                       'quiet_hours.start = "Quiet hours follow   the office opening times."\n'
                       'quiet_hours.end = "not locked: never shown"\nkiosk.nonsense = "x"\n', "utf-8")
    settings = config.load(machine, user, managed=None)
    assert settings.lock_reasons == {"quiet_hours.start": "Quiet hours follow the office opening times."}
    assert [p.key for p in settings.problems] == ["locked_why"] and "kiosk.nonsense" in settings.problems[0].message
    window = SettingsWindow(settings)
    notes = [label.text() for label in window.findChildren(QLabel) if label.objectName() == "locked"]
    assert notes == ["Set by your organisation: Quiet hours follow the office opening times."]
    window.close()


def test_policy_from_the_os_locks_too(tmp_path: Path) -> None:
    settings = config.load(tmp_path / "none.toml", tmp_path / "none2.toml",
                           managed=Managed("(policy)", enforced={"network.server": "https://policy.example"}))
    assert settings["network.server"] == "https://policy.example" and settings.is_locked("network.server")


def test_problems_name_file_key_and_line(tmp_path: Path) -> None:
    user = write(tmp_path / "u.toml", '[kiosk]\nquiz = "maybe"\ncard_seconds = "twenty"\n'
                 'colour = 3\n[network]\nserver = "not a url"\ntoken = "abc123"\n')
    settings = config.load(tmp_path / "none.toml", user)
    said = {p.key: p for p in settings.problems}
    assert said["kiosk.quiz"].line == 2 and "one of off, sometimes, always" in said["kiosk.quiz"].message
    assert said["kiosk.card_seconds"].line == 3 and "whole number" in said["kiosk.card_seconds"].message
    assert "not a Hallway setting" in said["kiosk.colour"].message
    assert "https://" in said["network.server"].message
    assert "keyring" in said["network.token"].message and said["network.token"].line == 7
    assert str(said["kiosk.quiz"]).startswith(f"{user}, line 2: kiosk.quiz:")
    assert settings["kiosk.quiz"] == "sometimes"  # bad values fall back
    assert "abc123" not in repr(settings.values)


def test_a_broken_file_falls_back_with_a_clear_message(tmp_path: Path) -> None:
    machine = write(tmp_path / "m.toml", '[kiosk]\nquiz = "always"\n')
    user = write(tmp_path / "u.toml", '[kiosk\nquiz = "off"\n')
    settings = config.load(machine, user)
    assert settings["kiosk.quiz"] == "always"
    [problem] = settings.problems
    assert "not valid TOML" in problem.message and problem.line == 1
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert "cannot be read" in config.load(machine, binary).problems[0].message


def test_only_it_sets_the_admin_pin(tmp_path: Path) -> None:
    user = write(tmp_path / "u.toml", '[kiosk]\nadmin_pin_hash = "mine"\n')
    settings = config.load(tmp_path / "none.toml", user)
    assert settings["kiosk.admin_pin_hash"] == ""
    assert "machine file" in settings.problems[0].message


def test_saving_a_user_value_keeps_the_rest(tmp_path: Path) -> None:
    user = write(tmp_path / "u.toml", '[appearance]\ntheme = "dark"\n')
    config.save_user_value("quiet_hours.weekends", False, user)
    settings = config.load(tmp_path / "none.toml", user)
    assert settings["appearance.theme"] == "dark" and settings["quiet_hours.weekends"] is False


def test_default_paths_follow_the_platform(isolated_home: Path) -> None:
    assert str(config.user_config_path()).startswith(str(isolated_home))
    assert config.machine_config_path() == Path("/etc/hallway/hallway.toml")


def test_an_admin_pin_must_be_a_hash_never_the_pin(tmp_path: Path) -> None:
    from hallway.pin import hash_pin

    machine = tmp_path / "machine.toml"
    machine.write_text('[kiosk]\nadmin_pin_hash = "1234"\n')
    loaded = config.load(machine, tmp_path / "user.toml")
    assert loaded["kiosk.admin_pin_hash"] == ""
    assert any("hash-pin" in str(p) for p in loaded.problems)
    machine.write_text(f'[kiosk]\nadmin_pin_hash = "{hash_pin("1234")}"\n')
    assert config.load(machine, tmp_path / "user.toml")["kiosk.admin_pin_hash"].startswith("scrypt$")


def test_absurd_nesting_is_refused_with_its_line_and_no_command_crashes(tmp_path: Path) -> None:
    """A 1.2 KB file of brackets (or a dotted name hundreds deep) once ended every command in a
    RecursionError: now it is a problem with file and line, and the settings below it apply."""
    import os
    import subprocess
    import sys
    brackets = '[network]\nserver = "https://social.example"\n\n[kiosk]\nquiz = ' + "[" * 600 + "]" * 600 + "\n"
    dotted = "[" + ".".join(["a"] * 400) + "]\nx = 1\n"
    for text, line in ((brackets, 5), (dotted, 1)):
        machine = write(tmp_path / "m.toml", text)
        settings = config.load(machine, tmp_path / "u.toml", managed=None)
        assert [(p.line, "nested more than 8 levels" in p.message) for p in settings.problems] == [(line, True)]
        assert settings["kiosk.quiz"] == "sometimes", "the defaults below it apply"
        doctor = subprocess.run([sys.executable, "-m", "hallway", "doctor"], capture_output=True, text=True,
                                timeout=60, env=os.environ | {"HALLWAY_MACHINE_CONFIG": str(machine),
                                                              "HALLWAY_DATA_DIR": str(tmp_path / "data")})
        assert "Traceback" not in doctor.stderr and "RecursionError" not in doctor.stdout + doctor.stderr
        assert f"m.toml, line {line}: is nested more than 8 levels deep" in doctor.stdout, doctor.stdout


def test_every_setting_is_read_with_its_own_type() -> None:
    """``config["network.feed"]`` is a str to mypy because the key is listed among the words;
    a setting added to the schema and not to its list would read as a mere object."""
    from typing import get_args

    listed = {str: set(get_args(config.TextKey)), bool: set(get_args(config.SwitchKey)),
              int: set(get_args(config.NumberKey))}
    for kind, keys in listed.items():
        assert keys == {s.key for s in config.SETTINGS if s.type is kind}, kind
    assert all(s.type in listed for s in config.SETTINGS)


def test_the_settings_window_names_a_community_or_group_feed_as_the_network_does(
        tmp_path: Path, english: object) -> None:
    """On Chatter and Viva Engage "#Sales" in IT's network.feed is a group: "Posts in Sales" (it
    said "Posts tagged #Sales"), before the network answers and after; the person's groups follow
    the two every network has, and IT's choice stays chosen though the person is not in it."""
    from PySide6.QtWidgets import QComboBox

    from desktop.views.settings_window import SettingsWindow
    from hallway.model import FeedKind, FeedRef

    machine = write(tmp_path / "m.toml", '[network]\nkind = "chatter"\nserver = "https://juniper.my.salesforce.com"\n'
                    'feed = "#Sales"\n')
    window = SettingsWindow(config.load(machine, tmp_path / "u.toml", managed=None))
    combo = window.fields["network.feed"]
    assert isinstance(combo, QComboBox) and combo.currentText() == "Posts in Sales"
    window.show_feeds([FeedRef(FeedKind.GROUP, "Design guild"), FeedRef(FeedKind.GROUP, "Lisbon office")], "#Sales")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Everyone in the company", "People I follow", "", "Posts in Sales", "Posts in Design guild",
        "Posts in Lisbon office"]
    assert combo.currentText() == "Posts in Sales"
    window.show_feeds([FeedRef(FeedKind.GROUP, "sales")], "#Sales")
    assert combo.count() == 4 and combo.currentData() == "#sales", "the same group, as the network spells it"
