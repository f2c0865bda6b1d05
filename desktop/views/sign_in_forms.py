"""The forms sign-in may need, each for the one case that needs it: a password for a Matrix
server with no single sign-on, or for the company's proxy where the computer's own sign-in
cannot answer it, the passphrase of the client certificate IT named, and a pasted code for a
server that shows one instead of sending the browser back to Hallway (OAuth's out-of-band redirect).

Sign-in runs on its own thread (it may wait minutes for a browser); ``SignInAsker`` is called
from there, shows the form on the GUI thread and waits for the answer. The password goes
straight to the server and is never stored: only the token it buys goes to the keyring.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.views.look import alert_css, muted_css
from ui.language import fill


class PasswordForm(QDialog):
    """Name and password for ``server`` (a Matrix server, or with ``proxy`` the company's proxy
    at that address); Sign in stays off until both are filled in."""

    def __init__(self, server: str, parent: QWidget | None = None, proxy: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("password-form")
        self.setWindowTitle(self.tr("Sign in to Hallway"))
        self.setMinimumWidth(380)
        host = server.split("://", 1)[-1].rstrip("/")
        title = QLabel(self.tr("Sign in to the company's proxy") if proxy else
                       self.tr("Sign in to your Matrix account"))
        title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        why = QLabel(fill(self.tr("Hallway reaches the network through the company's proxy at %1, which asks for "
                                  "your user name and password. Hallway keeps them in this computer's keyring and "
                                  "sends them only to that proxy."), host) if proxy else
                     fill(self.tr("%1 has no company sign-in page, so Hallway asks here once. The password goes "
                                  "only to that server; Hallway keeps the sign-in in this computer's keyring, not "
                                  "the password."), host))
        why.setWordWrap(True)
        why.setStyleSheet(f"color: {muted_css()};")
        self.user = QLineEdit()
        self.user.setObjectName("user")
        self.user.setPlaceholderText(self.tr("Your user name at work") if proxy else
                                     self.tr("ada or @ada:example.org"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText)
        fields = QFormLayout()
        fields.addRow(self.tr("Name"), self.user)
        fields.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for field in (self.user, self.password):
            field.textChanged.connect(self._enable)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 16)
        box.setSpacing(12)
        box.addWidget(title)
        box.addWidget(why)
        box.addLayout(fields)
        box.addWidget(self.buttons)
        self._enable()

    def _enable(self) -> None:
        filled = bool(self.user.text().strip() and self.password.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(filled)

    def answer(self) -> tuple[str, str] | None:
        if self.result() != QDialog.DialogCode.Accepted:
            return None
        return self.user.text().strip(), self.password.text()


class PassphraseForm(QDialog):
    """The passphrase of the client certificate IT named (a .p12 file, or a key locked with one);
    Unlock stays off until something is typed. ``wrong``: the last one typed did not open it."""

    def __init__(self, path: str, parent: QWidget | None = None, wrong: bool = False) -> None:
        super().__init__(parent)
        self.path = path
        self.setObjectName("passphrase-form")
        self.setWindowTitle(self.tr("Hallway"))
        self.setMinimumWidth(400)
        title = QLabel(self.tr("Unlock this computer's certificate"))
        title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        why = QLabel(fill(self.tr("The company's network lets in only computers that show their certificate. "
                                  "The one IT set up for Hallway, %1, is locked with a passphrase: IT gave it with "
                                  "the certificate. Hallway keeps it in this computer's keyring."),
                          Path(path).name))
        why.setWordWrap(True)
        why.setToolTip(path)
        why.setStyleSheet(f"color: {muted_css()};")
        self.wrong = QLabel(self.tr("That passphrase does not open the certificate. Try again, or ask IT."))
        self.wrong.setObjectName("wrong")
        self.wrong.setWordWrap(True)
        self.wrong.setStyleSheet(f"color: {alert_css()};")
        self.wrong.setVisible(wrong)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData |
                                            Qt.InputMethodHint.ImhNoPredictiveText)
        fields = QFormLayout()
        fields.addRow(self.tr("Passphrase"), self.passphrase)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Unlock"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Not now"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.passphrase.textChanged.connect(
            lambda text: self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 16)
        box.setSpacing(12)
        for widget in (title, why, self.wrong):
            box.addWidget(widget)
        box.addLayout(fields)
        box.addWidget(self.buttons)

    def answer(self) -> str | None:
        return self.passphrase.text() or None if self.result() == QDialog.DialogCode.Accepted else None


class CodeForm(QDialog):
    """The code the network's page shows; Sign in stays off until something is pasted."""

    def __init__(self, server: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("code-form")
        self.setWindowTitle(self.tr("Sign in to Hallway"))
        self.setMinimumWidth(420)
        title = QLabel(self.tr("Paste the code from your browser"))
        title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        host = server.split("://", 1)[-1].rstrip("/")
        why = QLabel(fill(self.tr("%1 shows a code after you sign in there, instead of returning to Hallway by "
                                  "itself. Copy it from the browser tab and paste it here."), host))
        why.setWordWrap(True)
        why.setStyleSheet(f"color: {muted_css()};")
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText)
        self.code.setPlaceholderText(self.tr("The code"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.code.textChanged.connect(self._enable)
        box = QVBoxLayout(self)
        box.setContentsMargins(24, 20, 24, 16)
        box.setSpacing(12)
        box.addWidget(title)
        box.addWidget(why)
        box.addWidget(self.code)
        box.addWidget(self.buttons)
        self._enable()

    def _enable(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.code.text().strip()))

    def answer(self) -> str | None:
        return self.code.text().strip() or None if self.result() == QDialog.DialogCode.Accepted else None


class _Question:
    def __init__(self, server: str, kind: str) -> None:
        self.server, self.kind = server, kind
        self.answer: object = None
        self.done = threading.Event()


class SignInAsker(QObject):
    """Lives on the GUI thread; ``ask_password`` and ``ask_code`` may be called from any other."""

    _asked = Signal(object)  # a _Question, queued to the GUI thread
    form_shown = Signal(object)  # the form, once it is on screen (for tests and screenshots)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__()
        self.parent_widget = parent
        self._asked.connect(self._show)

    def ask_password(self, server: str) -> tuple[str, str] | None:
        answer = self._ask(server, "password")
        return answer if isinstance(answer, tuple) else None

    def ask_code(self, server: str) -> str | None:
        answer = self._ask(server, "code")
        return answer if isinstance(answer, str) else None

    def _ask(self, server: str, kind: str) -> object:
        question = _Question(server, kind)
        self._asked.emit(question)
        question.done.wait()
        return question.answer

    def _show(self, question: _Question) -> None:
        kind = PasswordForm if question.kind == "password" else CodeForm
        form: PasswordForm | CodeForm = kind(question.server, self.parent_widget)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished() -> None:
            question.answer = form.answer()
            if isinstance(form, PasswordForm):
                form.password.clear()
            question.done.set()
        form.finished.connect(finished)
        form.open()
        form.raise_()
        form.activateWindow()
        self.form_shown.emit(form)
