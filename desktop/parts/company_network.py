"""What the company's network asks of this computer before Hallway gets through: the proxy's
user name and password (HTTP 407) where the computer's own sign-in could not answer, or the
passphrase of the client certificate IT named. Each is asked once, in a form that names what
asks; kept in the keyring (hallway.proxy) off the GUI thread, and the network tried again at
once. "Not now" is remembered for this run: the window's status line keeps saying what is in
the way."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog

from desktop.views.sign_in_forms import PassphraseForm, PasswordForm
from hallway.proxy import certificate
from hallway.proxy import credentials as proxy_credentials
from hallway.signin import SignInError
from hallway.sync import Problem
from ui.background import Background

log = logging.getLogger(__name__)


class CompanyNetwork(QObject):
    kept = Signal()  # the keyring holds it now: sync again
    refused = Signal(str)  # it was not kept (words for the status line)

    def __init__(self, executor: Executor, again: Callable[[], None]) -> None:
        super().__init__()
        self.background = Background(executor, self)
        self.asked: set[str] = set()
        self.form: PasswordForm | PassphraseForm | None = None
        self.kept.connect(again)

    def maybe_ask(self, problem: Problem | None) -> None:
        """Ask for what stops sync, once per proxy or certificate file."""
        if problem is None or self.form is not None:
            return
        if problem.proxy_asks and problem.proxy_asks not in self.asked:
            proxy = problem.proxy_asks
            self.asked.add(proxy)
            self.form = PasswordForm(proxy, proxy=True)
            self._open(lambda answer: proxy_credentials.save(proxy, *answer), "the proxy's sign-in")
        elif problem.passphrase_for and problem.passphrase_for not in self.asked:
            path = problem.passphrase_for
            self.asked.add(path)
            self.form = PassphraseForm(path)

            def keep(passphrase: str) -> None:
                certificate.save_passphrase(path, passphrase)
            self._open(keep, "the certificate's passphrase")

    def _open(self, keep: Callable[[Any], None], what: str) -> None:
        form = self.form
        assert form is not None
        form.finished.connect(lambda result: self._answered(form, result, keep, what))
        form.open()

    def _answered(self, form: PasswordForm | PassphraseForm, result: int, keep: Callable[[Any], None],
                  what: str) -> None:
        self.form = None
        answer = form.answer() if result == QDialog.DialogCode.Accepted else None
        form.deleteLater()
        if answer is None:
            return

        def refused(failure: BaseException) -> None:
            if isinstance(failure, certificate.CertificateTrouble):
                if failure.needs_passphrase and isinstance(form, PassphraseForm):  # mistyped: asked again
                    self.form = PassphraseForm(form.path, wrong=True)
                    self._open(keep, what)
                    return
                self.refused.emit(failure.message)
                return
            if not isinstance(failure, SignInError):
                log.error("could not keep %s", what, exc_info=failure)
                self.refused.emit(type(failure).__name__)
                return
            log.warning("could not keep %s: %s", what, failure.message)
            self.refused.emit(failure.message)
        self.background.run(lambda: keep(answer), lambda _: self.kept.emit(), refused)
