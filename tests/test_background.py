"""ui/background.py: work off the GUI thread, its answer back on it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.background import Background

pytestmark = pytest.mark.fast  # the fast tier: ./run test -m fast


@pytest.fixture
def background(qapp: QApplication) -> Iterator[Background]:
    executor = ThreadPoolExecutor(2, "test-background")
    yield Background(executor)
    executor.shutdown(wait=True)


def test_the_answer_arrives_on_the_gui_thread_and_the_work_ran_off_it(background: Background, qtbot: QtBot) -> None:
    gui = QThread.currentThread()
    worked_on: list[threading.Thread] = []
    answered: list[tuple[int, bool]] = []

    def work() -> int:
        worked_on.append(threading.current_thread())
        return 42

    assert background.run(work, lambda result: answered.append((result, QThread.currentThread() == gui)))
    assert answered == [], "never inside run(): its caller sets its state first"
    qtbot.waitUntil(lambda: bool(answered), timeout=5000)
    assert answered == [(42, True)]
    assert worked_on and worked_on[0] is not threading.main_thread()
    assert background.busy() == 0, "the future is let go once answered"


def test_a_failure_reaches_its_listener_on_the_gui_thread(background: Background, qtbot: QtBot) -> None:
    gui = QThread.currentThread()
    heard: list[tuple[str, bool]] = []

    def work() -> None:
        raise ValueError("the keyring said no")

    background.run(work, lambda _: heard.append(("done", False)),
                   lambda failure: heard.append((str(failure), QThread.currentThread() == gui)))
    qtbot.waitUntil(lambda: bool(heard), timeout=5000)
    assert heard == [("the keyring said no", True)]


def test_a_failure_nobody_listens_for_is_logged_not_lost(background: Background, qtbot: QtBot,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    def work() -> None:
        raise ValueError("nobody asked")

    with caplog.at_level(logging.ERROR, logger="ui.background"):
        background.run(work)
        qtbot.waitUntil(lambda: background.busy() == 0, timeout=5000)
    assert any(r.exc_info and str(r.exc_info[1]) == "nobody asked" for r in caplog.records)


def test_after_the_executor_is_shut_nothing_is_started(qapp: QApplication) -> None:
    executor = ThreadPoolExecutor(1)
    executor.shutdown()
    assert Background(executor).run(lambda: 1) is False
