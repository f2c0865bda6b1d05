"""The company's proxy asks for a user name and password (HTTP 407) that the computer's own
sign-in could not answer: asked once, in a form that names the proxy, kept in the keyring
(hallway.proxy.credentials) off the GUI thread, and the network asked again at once. "Not now"
is remembered for this run: the window's status line keeps saying what is in the way."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor

from PySide6.QtCore import QObject, Signal

from desktop.views.sign_in_forms import PasswordForm
from hallway.proxy import credentials as proxy_credentials
from hallway.signin import SignInError
from hallway.sync import Problem
from ui.background import Background

log = logging.getLogger(__name__)


class ProxySignIn(QObject):
    kept = Signal()  # the keyring holds them now: sync again
    refused = Signal(str)  # the keyring would not keep them (words for the status line)

    def __init__(self, executor: Executor, again: Callable[[], None]) -> None:
        super().__init__()
        self.background = Background(executor, self)
        self.asked: set[str] = set()
        self.form: PasswordForm | None = None
        self.kept.connect(again)

    def maybe_ask(self, problem: Problem | None) -> None:
        """Ask for the proxy's user name and password, once per proxy, when it is what stops sync."""
        if problem is None or not problem.proxy_asks or problem.proxy_asks in self.asked or self.form is not None:
            return
        proxy = problem.proxy_asks
        self.asked.add(proxy)
        self.form = PasswordForm(proxy, proxy=True)
        self.form.finished.connect(lambda _result: self._answered(proxy))
        self.form.open()

    def _answered(self, proxy: str) -> None:
        form, self.form = self.form, None
        answer = form.answer() if form is not None else None
        if form is not None:
            form.deleteLater()
        if answer is None:
            return

        def refused(failure: BaseException) -> None:
            if not isinstance(failure, SignInError):
                log.error("could not keep the proxy's sign-in", exc_info=failure)
                self.refused.emit(type(failure).__name__)
                return
            log.warning("could not keep the proxy's sign-in: %s", failure.message)
            self.refused.emit(failure.message)
        self.background.run(lambda: proxy_credentials.save(proxy, *answer), lambda _: self.kept.emit(), refused)
