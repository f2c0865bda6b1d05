"""Behind the company's proxy (#34), against a real Squid on loopback: a PAC file that sends the
network through the proxy and the rest direct, a proxy that asks for Basic authentication, PAC
files that loop or throw, and the computer's own settings (the environment, GNOME, KDE). The
contract's core runs through it: sign-in, a sync, a check-in, the live stream."""

from __future__ import annotations

import http.server
import os
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
import squid_proxy
from conftest import Until
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from desktop.tray_app import TrayApp
from desktop.views.sign_in_forms import PasswordForm
from hallway import config as settings
from hallway import proxy, signin
from hallway.connect import open_network
from hallway.demo.server import DemoNetwork
from hallway.http import HttpClient, ProxyRefused
from hallway.model import COMPANY_FEED, CheckIn, Place
from hallway.networks.mastodon import MastodonNetwork
from hallway.outbox import Outbox
from hallway.proxy import Router, system
from hallway.proxy import credentials as proxy_credentials
from hallway.store import Store
from hallway.sync import Sync

pytestmark = pytest.mark.alone  # after the others, one at a time: a real Squid in the way, with
# deadlines a machine busy with other tests stretches (./run test)


@pytest.fixture(autouse=True)
def own_router(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test's proxy settings are its own: the process's router is put back afterwards."""
    monkeypatch.setattr(proxy, "_ROUTER", Router(system=lambda: system.SystemProxy("no proxy set on this computer")))
    for held in ("_held", "_schemes", "_troubles"):  # what this process learnt of earlier tests' proxies
        monkeypatch.setattr(proxy_credentials, held, {})
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield


class PacServer:
    """PAC files served on loopback, as a company's web server (or WPAD) serves them."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        files = self.files

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = files.get(self.path, "").encode()
                self.send_response(200 if self.path in files else 404)
                self.send_header("Content-Type", "application/x-ns-proxy-autoconfig")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: object) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, name: str, text: str) -> str:
        self.files[f"/{name}"] = text
        return f"http://127.0.0.1:{self.server.server_port}/{name}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def pac_server() -> Iterator[PacServer]:
    served = PacServer()
    yield served
    served.stop()


def machine(tmp_path: Path, demo: DemoNetwork, tls: str = "", server: str = "",
            **proxy_settings: object) -> settings.Config:
    """IT's machine file: the network (``server``: its address as the laptops know it), ``[proxy]``
    from the keywords, ``[tls]`` as written."""
    lines = [f'[network]\nserver = "{server or demo.url}"\n', "[proxy]"]
    for key, value in proxy_settings.items():
        lines.append(f"{key} = {str(value).lower() if isinstance(value, bool) else repr(value)}")
    file = tmp_path / "machine.toml"
    file.write_text("\n".join(lines).replace("'", '"') + "\n" + (f"\n[tls]\n{tls}\n" if tls else ""))
    config = settings.load(file, tmp_path / "user.toml")
    assert not config.problems, config.problems
    return config


def only_the_network_through(squid: squid_proxy.Squid, demo: DemoNetwork) -> str:
    return (f'function FindProxyForURL(url, host) {{\n'
            f'  if (shExpMatch(url, "{demo.url}/*")) return "PROXY 127.0.0.1:{squid.port}; DIRECT";\n'
            f'  return "DIRECT";\n}}\n')


def heard_on_the_stream(network: MastodonNetwork, demo: DemoNetwork, words: str) -> list[str]:
    """The lobby account mentions the person once the stream is open: what the stream brought."""
    stop = threading.Event()
    got: list[str] = []

    def listen() -> None:
        for event in network.stream(stop):
            if event.notice is not None or event.post is not None:
                got.append((event.notice or event.post).text)  # type: ignore[union-attr]
                stop.set()
                return
    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    deadline = time.monotonic() + 10
    while not demo.api.hub.count() and time.monotonic() < deadline:
        time.sleep(0.05)
    requests.post(f"{demo.url}/api/v1/statuses", data={"status": f"{words} @demo"}, timeout=10,
                  headers={"Authorization": f"Bearer {demo.token_for('lobby')}"})
    listener.join(10)
    stop.set()
    return got


def core_through(tmp_path: Path, demo: DemoNetwork, config: settings.Config, words: str,
                 **browser: object) -> MastodonNetwork:
    """The contract's core the way ``config`` sets (its proxy, PAC file, certificate): sign-in in
    the browser (``browser``: how the test's browser reaches the server), a sync, a check-in
    delivered once, and the live stream bringing ``words``."""
    def open_browser(url: str) -> None:
        requests.get(url, timeout=10, **browser).raise_for_status()  # type: ignore[arg-type]
    signin.sign_in(config["network.server"], open_browser=open_browser, config=config)
    network = open_network(config)
    assert isinstance(network, MastodonNetwork)
    store = Store(tmp_path / f"laptop-{time.monotonic_ns()}.db", tmp_path / "photos")
    outbox = Outbox(store)
    first = Sync(store, network, outbox, feed=COMPANY_FEED, photos_per_pass=0).once()
    assert not first.problems and store.count_people() > 30, first.problems
    someone = store.people()[0]
    outbox.add_check_in(CheckIn(someone.id, Place("Lisbon"), datetime.now(UTC), shared=True), someone)
    assert outbox.deliver(network).delivered == 1
    assert any(words in text for text in heard_on_the_stream(network, demo, words)), "the live stream came through"
    store.close()
    return network


def browser(url: str) -> None:
    assert requests.get(url, timeout=10).ok


@pytest.fixture
def own_demo() -> Iterator[DemoNetwork]:
    """A demo network of this test's own (its stream listeners are only the test's), whose
    sign-in page approves at once (the browser here is a plain GET)."""
    from hallway.demo import server
    from hallway.demo.organisation import generate

    network = server.create(generate(seed=11, people=40), auto_approve=True, heartbeat_s=1.0).start_in_background()
    yield network
    network.stop()


def test_a_pac_file_sends_the_network_through_the_proxy_and_the_core_works_through_it(
        tmp_path: Path, own_demo: DemoNetwork, pac_server: PacServer) -> None:
    """Sign-in, a sync, a check-in and the live stream all go through the proxy the PAC file
    names; an address the PAC file sends direct never reaches it."""
    fresh_demo = own_demo
    with squid_proxy.running() as squid:
        rules = only_the_network_through(squid, fresh_demo)
        config = machine(tmp_path, fresh_demo, pac_url=pac_server.url("proxy.pac", rules))
        core_through(tmp_path, fresh_demo, config, "Through the proxy?")
        host = fresh_demo.url.removeprefix("http://")
        for path in ("/oauth/token", "/api/v1/directory", "/api/v1/statuses", "/api/v1/streaming"):
            assert squid.carried(host, path), f"{path} did not go through the proxy"
        assert f":{pac_server.server.server_port}/" not in squid.log(), "the PAC file is fetched direct"


def test_the_proxy_asks_for_a_sign_in_said_in_words_then_kept_in_the_keyring(
        tmp_path: Path, own_demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from hallway import cli

    demo = own_demo
    with squid_proxy.running({"ana": "cr0ssing-the-lobby"}) as squid:
        config = machine(tmp_path, demo, url=squid.url)
        network = MastodonNetwork(demo.url, demo.token_for("demo"), HttpClient(sleep=lambda s: None))
        proxy.configure(config)
        with pytest.raises(ProxyRefused, match=f"proxy at 127.0.0.1:{squid.port} asks for a user name and password"
                           ) as told:
            network.me()
        assert "hallway proxy-sign-in" in told.value.message

        monkeypatch.setenv(settings.MACHINE_CONFIG_ENV, str(tmp_path / "machine.toml"))
        monkeypatch.setenv(settings.USER_CONFIG_ENV, str(tmp_path / "user.toml"))
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO("cr0ssing-the-lobby\n"))
        assert cli.main(["proxy-sign-in", "ana"]) == 0
        assert f"Kept in the keyring for the proxy at {squid.url}" in capsys.readouterr().out

        assert network.me().handle == "demo", "the keyring's sign-in is used at once"
        assert squid.carried(" ana ", "verify_credentials"), "the keyring's sign-in went to the proxy"
        core_through(tmp_path, demo, config, "Signed in to the proxy")
        assert squid.carried(" ana ", "/api/v1/streaming"), "the live stream went through as ana"
        for kept in (tmp_path / "machine.toml", tmp_path / "user.toml"):
            assert not kept.exists() or "cr0ssing" not in kept.read_text()


def test_doctor_names_the_proxy_where_it_came_from_and_how_hallway_signs_in_to_it(
        tmp_path: Path, demo: DemoNetwork, pac_server: PacServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from doctor_run import doctor

    with squid_proxy.running({"ana": "cr0ssing-the-lobby"}) as squid:
        pac_url = pac_server.url("proxy.pac", only_the_network_through(squid, demo))
        machine(tmp_path, demo, pac_url=pac_url)
        proxy_credentials.save(squid.url, "ana", "cr0ssing-the-lobby")
        person = signin.Credentials(demo.token_for("demo"))
        said, _ = doctor(tmp_path, demo.url, person, signin.Credentials(demo.token_for("lobby")), monkeypatch, capsys)
    way = f"the way to {demo.url.removeprefix('http://')}: through http://127.0.0.1:{squid.port} (the PAC file at " \
          f"{pac_url}, from IT's setting proxy.pac_url); signs in to it with Basic as ana (kept in the keyring)"
    assert way in said, said
    assert "cr0ssing" not in said


def test_a_pac_file_that_loops_is_said_in_seconds_and_never_freezes_the_app(
        tmp_path: Path, demo: DemoNetwork, pac_server: PacServer) -> None:
    looping = pac_server.url("loop.pac", "function FindProxyForURL(url, host) { while (true) {} }")
    config = machine(tmp_path, demo, pac_url=looping)
    proxy.configure(config)
    ticks: list[float] = []
    ticking = threading.Event()

    def tick() -> None:  # the app's other threads go on meanwhile
        while not ticking.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.05)
    clock = threading.Thread(target=tick, daemon=True)
    clock.start()
    started = time.monotonic()
    with pytest.raises(ProxyRefused, match="did not answer within 3 s: it may loop") as told:
        HttpClient(attempts=1).request("GET", f"{demo.url}/api/v1/instance")
    ticking.set()
    assert time.monotonic() - started < 8
    assert len(ticks) > 20, "the rest of the app was not held while the PAC file looped"
    assert "Hallway does not go around the company's proxy unless IT allows it" in told.value.message
    assert looping in told.value.message


def test_a_pac_file_that_throws_is_said_and_direct_only_where_it_allows(
        tmp_path: Path, demo: DemoNetwork, pac_server: PacServer) -> None:
    throwing = pac_server.url("throws.pac", "function FindProxyForURL(url, host) { throw new Error('no rule'); }")
    proxy.configure(machine(tmp_path, demo, pac_url=throwing))
    with pytest.raises(ProxyRefused, match=r"The proxy settings file .PAC. at http.*/throws.pac failed: .*no rule"):
        HttpClient(attempts=1).request("GET", f"{demo.url}/api/v1/instance")
    proxy.configure(machine(tmp_path, demo, pac_url=throwing, direct_if_pac_fails=True))
    assert HttpClient(attempts=1).request("GET", f"{demo.url}/api/v1/instance").status == 200
    route = proxy.router().route(demo.url)
    assert route.proxy is None and "IT allows going direct then" in route.source
    proxy.configure(machine(tmp_path, demo, pac_url=pac_server.url("gone.pac", "") + "-missing"))
    with pytest.raises(ProxyRefused, match=r"could not be fetched \(HTTP 404\)"):
        HttpClient(attempts=1).request("GET", f"{demo.url}/api/v1/instance")


def test_the_computers_own_settings_are_read_as_its_programs_read_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "proxy.corp:8080")
    monkeypatch.setenv("NO_PROXY", "localhost,.intra.corp,10.0.0.0/8")
    found = system.environment()
    assert found is not None and found.proxies == {"https": "http://proxy.corp:8080"}
    router = Router(system=system.read)
    assert router.route("https://social.corp/api").words == \
        "through http://proxy.corp:8080 (the environment (HTTPS_PROXY))"
    assert router.route("https://wiki.intra.corp/").proxy is None
    assert router.route("https://10.1.2.3/").proxy is None
    monkeypatch.delenv("HTTPS_PROXY")

    kde = Path(str(tmp_path / "home" / ".config")) / "kioslaverc"
    kde.write_text("[Proxy Settings]\nProxyType=2\nProxy Config Script=http://wpad.corp/proxy.pac\n")
    assert system.kde() == system.SystemProxy("KDE's proxy settings", pac_url="http://wpad.corp/proxy.pac")
    kde.write_text("[Proxy Settings]\nProxyType=1\nhttpsProxy=http://proxy.corp 3128\nNoProxyFor=.corp\n")
    assert system.kde() == system.SystemProxy("KDE's proxy settings", {"https": "http://proxy.corp:3128"},
                                              (".corp",))

    gsettings = tmp_path / "bin" / "gsettings"
    gsettings.parent.mkdir()
    gsettings.write_text("#!/bin/sh\ncat <<'EOF'\norg.gnome.system.proxy mode 'manual'\n"
                         "org.gnome.system.proxy autoconfig-url ''\n"
                         "org.gnome.system.proxy ignore-hosts ['localhost', '127.0.0.0/8']\n"
                         "org.gnome.system.proxy.https host 'gw.corp'\norg.gnome.system.proxy.https port 3128\n"
                         "org.gnome.system.proxy.http host ''\norg.gnome.system.proxy.http port 0\nEOF\n")
    gsettings.chmod(0o755)
    monkeypatch.setenv("PATH", f"{gsettings.parent}:/usr/bin:/bin")
    assert system.gnome() == system.SystemProxy("GNOME's proxy settings", {"https": "http://gw.corp:3128"},
                                                ("localhost", "127.0.0.0/8"))


def test_it_locks_the_proxy_settings_and_a_bad_one_is_said() -> None:
    assert settings.BY_KEY["proxy.url"].check("proxy.corp 8080") is not None  # type: ignore[misc]
    assert settings.BY_KEY["proxy.url"].check("http://proxy.corp:8080") is None  # type: ignore[misc]
    assert settings.BY_KEY["proxy.pac_url"].check("wpad") is None  # type: ignore[misc]
    assert settings.BY_KEY["proxy.pac_url"].check("proxy.pac") is not None  # type: ignore[misc]


def test_the_tray_names_the_proxy_that_stops_it_and_asks_once_for_its_password(
        fresh_demo: DemoNetwork, make_app: Callable[..., TrayApp], until: Until, tmp_path: Path) -> None:
    """A proxy that wants a password stops sync: the window says which proxy and why, the form
    asks once (naming the proxy), and what was typed is kept in the keyring and used at once."""
    from PySide6.QtWidgets import QDialogButtonBox

    with squid_proxy.running({"ana": "cr0ssing-the-lobby"}) as squid:
        app = make_app(fresh_demo, machine=f'\n[proxy]\nurl = "{squid.url}"\n')
        until(lambda: "asks for a user name and password" in app.window.status.text(), 20)
        assert f"proxy at 127.0.0.1:{squid.port}" in app.window.status.text()
        until(lambda: app.company_network.form is not None and app.company_network.form.isVisible(), 10)
        form = app.company_network.form
        assert isinstance(form, PasswordForm)
        words = " ".join(label.text() for label in form.findChildren(QLabel))
        assert f"the company's proxy at 127.0.0.1:{squid.port}" in words
        app.navigation.open_window("feed")
        QTest.qWait(300)
        if os.environ.get("HALLWAY_SCREENSHOTS"):
            app.window.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/desktop-proxy-in-the-way.png")
            form.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/desktop-proxy-sign-in.png")
        form.user.setText("ana")
        form.password.setText("cr0ssing-the-lobby")
        form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        until(lambda: app.store.count_posts(app.feed) > 0 and not app.window.status.text().startswith("Not syncing"),
              20)
        assert squid.carried(" ana ", "/api/v1/"), "the form's sign-in went to the proxy"
        assert proxy_credentials.known(squid.url) == ("ana", "cr0ssing-the-lobby")
        assert app.company_network.form is None, "asked once"


def test_through_a_tls_inspecting_proxy_the_companys_root_is_trusted_for_requests_and_the_live_stream(
        tmp_path: Path, own_demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The gateway ends TLS with a certificate its own root signed: with that root in the
    computer's trust store (here the OS store's own override, SSL_CERT_FILE) requests and the
    stream work and the gateway reads them; without it, Hallway refuses in words."""
    import inspecting_proxy

    from hallway.demo.viva.server import TestCA
    from hallway.http import UntrustedServer

    fresh_demo = own_demo
    company_root = TestCA(tmp_path)
    behind = fresh_demo.url.replace("http://", "https://")  # TLS to the gateway; the gateway reads it all
    with inspecting_proxy.running(company_root.server_context()) as gateway:
        config = machine(tmp_path, fresh_demo, server=behind, url=gateway.url)
        proxy.configure(config)
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "nothing-trusted.pem"))
        (tmp_path / "nothing-trusted.pem").write_text("")
        with pytest.raises(UntrustedServer, match=r"does not trust the certificate of 127\.0\.0\.1"):
            MastodonNetwork(behind, fresh_demo.token_for("demo"), HttpClient(attempts=1)).me()

        monkeypatch.setenv("SSL_CERT_FILE", str(company_root.ca_file))  # IT installs the company's root
        network = MastodonNetwork(behind, fresh_demo.token_for("demo"), HttpClient(attempts=1))
        assert network.me().handle == "demo"
        core_through(tmp_path, fresh_demo, config, "Inspected and delivered",
                     proxies={"https": gateway.url}, verify=str(company_root.ca_file))
        from hallway.commands.doctor import _check_way
        _check_way(behind)
        said = capsys.readouterr().out
        assert f"through {gateway.url} (IT's setting proxy.url)" in said
        signer = "'Hallway demo CA (loopback only)' (TLSv1.3, trusted"
        assert f"TLS: a certificate for 127.0.0.1 issued by {signer}" in said, "doctor names who signed it"
    assert any("/api/v1/accounts/verify_credentials" in line for line in gateway.seen)
    assert any("/oauth/token" in line for line in gateway.seen), "the sign-in passed the gateway"
    assert any("/api/v1/streaming/user" in line for line in gateway.seen), "the stream passed the gateway"


def _client_certificate(folder: Path) -> tuple[Path, Path]:
    """A company's client CA and a laptop's certificate it signed (PEM: the certificate, then its key)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Juniper Labs devices CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True).sign(ca_key, hashes.SHA256()))
    laptop = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "laptop-0042")]))
              .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
              .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
              .sign(ca_key, hashes.SHA256()))
    (folder / "devices-ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "laptop.pem").write_bytes(laptop.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    # As IT hands them out locked: Windows' and Keychain Access's export (PKCS#12), and a PEM key
    # with a passphrase
    locked = serialization.BestAvailableEncryption(PASSPHRASE.encode())
    from cryptography.hazmat.primitives.serialization import pkcs12

    (folder / "laptop.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        b"laptop-0042", key, laptop, [ca], locked))
    (folder / "laptop-locked.pem").write_bytes(laptop.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, locked))
    return folder / "devices-ca.pem", folder / "laptop.pem"


PASSPHRASE = "fern-in-the-lobby-42"


def _gateway_asking_for_certificates(tmp_path: Path) -> ssl.SSLContext:
    """The gateway's side of TLS: its certificate from the test's CA (trusted through
    SSL_CERT_FILE=ca.pem), and it lets in only computers whose certificate the devices CA signed."""
    from hallway.demo.viva.server import TestCA

    devices_ca, _ = _client_certificate(tmp_path)
    server_side = TestCA(tmp_path).server_context()
    server_side.verify_mode = ssl.CERT_REQUIRED
    server_side.load_verify_locations(devices_ca)
    return server_side


def test_through_mitmproxy_the_companys_root_is_trusted_and_the_core_works_and_doctor_names_the_gateway(
        tmp_path: Path, own_demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A real TLS-inspecting proxy (mitmproxy, as a company's gateway): without its root Hallway
    refuses and says whose certificate; with the root IT installs, sign-in, sync, a check-in and
    the live stream all pass through it, and doctor names the gateway's certificate."""
    import mitm_proxy

    from hallway.commands.doctor import _check_way
    from hallway.http import UntrustedServer

    behind = own_demo.url.replace("http://", "https://")
    with mitm_proxy.running(tmp_path) as mitm:
        config = machine(tmp_path, own_demo, server=behind, url=mitm.url)
        proxy.configure(config)
        (tmp_path / "nothing-trusted.pem").write_text("")
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "nothing-trusted.pem"))
        with pytest.raises(UntrustedServer, match=r"does not trust the certificate of 127\.0\.0\.1"):
            MastodonNetwork(behind, own_demo.token_for("demo"), HttpClient(attempts=1)).me()

        monkeypatch.setenv("SSL_CERT_FILE", str(mitm.ca_file))  # IT installs the gateway's root
        core_through(tmp_path, own_demo, config, "Inspected by the gateway",
                     proxies={"https": mitm.url}, verify=str(mitm.ca_file))
        assert _check_way(behind)
        said = capsys.readouterr().out
        assert f"through {mitm.url} (IT's setting proxy.url)" in said
        assert "TLS: a certificate for 127.0.0.1 issued by 'mitmproxy'" in said, said
        seen = mitm.seen
    assert any(line.startswith("POST /oauth/token") for line in seen), "the sign-in passed the gateway"
    assert any("/api/v1/accounts/verify_credentials" in line for line in seen)
    assert any("/api/v1/streaming/user" in line for line in seen), "the stream passed the gateway"


def test_a_server_that_asks_for_a_client_certificate_gets_the_one_it_names(
        tmp_path: Path, own_demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mutual TLS: the server (here the company's gateway in front of the network) lets in only
    computers that show a certificate its devices CA signed; the stream goes the same way."""

    import inspecting_proxy

    from hallway.http import Offline, Refused

    server_side = _gateway_asking_for_certificates(tmp_path)
    laptop = tmp_path / "laptop.pem"
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    fresh_demo = own_demo
    behind = fresh_demo.url.replace("http://", "https://")
    with inspecting_proxy.running(server_side) as gateway:
        proxy.configure(machine(tmp_path, fresh_demo, url=gateway.url))
        # TLS 1.3 ends a handshake without a client certificate with an alert, or (as here, often)
        # by closing: either way the words name the missing certificate and where IT sets one.
        with pytest.raises((Refused, Offline), match=r"client certificate,? (and )?none is set: IT names one in "
                                                     r"tls\.client_certificate"):
            MastodonNetwork(behind, fresh_demo.token_for("demo"), HttpClient(attempts=1)).me()
        config = machine(tmp_path, fresh_demo, tls=f'client_certificate = "{laptop}"', server=behind,
                         url=gateway.url)
        core_through(tmp_path, fresh_demo, config, "Shown and let in", proxies={"https": gateway.url},
                     verify=str(tmp_path / "ca.pem"), cert=str(laptop))
    assert any("/api/v1/streaming/user" in line for line in gateway.seen), "the stream showed the certificate too"


@pytest.mark.parametrize("file", ["laptop.p12", "laptop-locked.pem"])
def test_a_client_certificate_locked_with_a_passphrase_is_shown_once_its_passphrase_is_kept(
        tmp_path: Path, own_demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], file: str) -> None:
    """IT exports the device certificate from the store as a .p12 (or a PEM key) with a
    passphrase: Hallway says what it needs, keeps the passphrase once it opens the file, and the
    core (stream included) goes through; the key never lies on disk in the clear."""
    import io

    import inspecting_proxy

    from hallway import cli
    from hallway.http import CertificateLocked
    from hallway.proxy import certificate

    server_side = _gateway_asking_for_certificates(tmp_path)
    test_made = set(tmp_path.rglob("*"))  # the test's CA and server key, and the laptop's clear PEM
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    monkeypatch.setenv(settings.MACHINE_CONFIG_ENV, str(tmp_path / "machine.toml"))
    monkeypatch.setenv(settings.USER_CONFIG_ENV, str(tmp_path / "user.toml"))
    monkeypatch.setattr(certificate, "_passphrases", {})
    monkeypatch.setattr(certificate, "_made", {})
    behind = own_demo.url.replace("http://", "https://")
    with inspecting_proxy.running(server_side) as gateway:
        config = machine(tmp_path, own_demo, tls=f'client_certificate = "{tmp_path / file}"', server=behind,
                         url=gateway.url)
        proxy.configure(config)
        network = MastodonNetwork(behind, own_demo.token_for("demo"), HttpClient(attempts=1))
        with pytest.raises(CertificateLocked, match=f"{file} is locked with a passphrase Hallway does not") as told:
            network.me()
        assert "hallway certificate-passphrase" in told.value.message and told.value.path == str(tmp_path / file)
        from hallway.commands.doctor import _check_way
        assert not _check_way(behind)
        assert f"TLS: The client certificate {tmp_path / file} is locked" in capsys.readouterr().out

        monkeypatch.setattr("sys.stdin", io.StringIO("fern-in-the-hall\n"))
        assert cli.main(["certificate-passphrase"]) == 1, "a wrong passphrase is not kept"
        assert f"That passphrase does not open {tmp_path / file}: nothing was kept." in capsys.readouterr().err
        with pytest.raises(CertificateLocked):
            network.me()
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSPHRASE}\n"))
        assert cli.main(["certificate-passphrase"]) == 0
        assert f"Kept in the keyring for the client certificate {tmp_path / file}." in capsys.readouterr().out

        monkeypatch.setattr(certificate, "_passphrases", {})  # a new start reads it from the keyring
        monkeypatch.setattr(certificate, "_made", {})
        assert network.me().handle == "demo"
        assert not _check_way(behind), "a certificate that ends tomorrow is a warning"
        said = capsys.readouterr().out
        assert f"this computer shows its client certificate {tmp_path / file} (for laptop-0042, expires on " in said
        assert "within a day: ask IT for a new one)" in said and PASSPHRASE not in said
        core_through(tmp_path, own_demo, config, "Unlocked and let in", proxies={"https": gateway.url},
                     verify=str(tmp_path / "ca.pem"), cert=str(tmp_path / "laptop.pem"))
    assert any("/api/v1/streaming/user" in line for line in gateway.seen), "the stream showed the certificate too"
    for written in [*tmp_path.rglob("*"), *Path(tempfile.gettempdir()).glob("hallway-certificate-*/*")]:
        if written.is_file() and written not in test_made:
            assert b"BEGIN PRIVATE KEY" not in written.read_bytes(), f"{written} holds a key in the clear"
    for kept in (tmp_path / "machine.toml", tmp_path / "user.toml"):
        assert PASSPHRASE not in kept.read_text() if kept.exists() else True


def test_the_tray_asks_for_the_certificates_passphrase_again_when_mistyped_and_then_gets_through(
        fresh_demo: DemoNetwork, make_app: Callable[..., TrayApp], until: Until, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The company's gateway lets in only computers showing their certificate, and IT's .p12 is
    locked: the window says so, a form names the file and asks for its passphrase, a mistyped one
    is asked for again (said), and the right one gets the tray through."""
    from types import SimpleNamespace
    from typing import cast

    import inspecting_proxy
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.views.sign_in_forms import PassphraseForm
    from hallway.proxy import certificate

    server_side = _gateway_asking_for_certificates(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    monkeypatch.setattr(certificate, "_passphrases", {})
    monkeypatch.setattr(certificate, "_made", {})
    behind = cast(DemoNetwork, SimpleNamespace(url=fresh_demo.url.replace("http://", "https://"),
                                               token_for=fresh_demo.token_for))
    with inspecting_proxy.running(server_side) as gateway:
        app = make_app(behind, machine=f'\n[proxy]\nurl = "{gateway.url}"\n'
                                       f'\n[tls]\nclient_certificate = "{tmp_path / "laptop.p12"}"\n')
        until(lambda: app.company_network.form is not None and app.company_network.form.isVisible(), 20)
        form = app.company_network.form
        assert isinstance(form, PassphraseForm)
        assert "laptop.p12 is locked with a passphrase" in app.window.status.text()
        words = " ".join(label.text() for label in form.findChildren(QLabel) if label.isVisible())
        assert "laptop.p12" in words and "does not open" not in words
        app.navigation.open_window("feed")
        QTest.qWait(300)
        if os.environ.get("HALLWAY_SCREENSHOTS"):
            app.window.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/desktop-certificate-locked.png")
            form.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/desktop-certificate-passphrase.png")
        form.passphrase.setText("fern-in-the-hall")
        form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        until(lambda: app.company_network.form not in (None, form), 10)
        again = app.company_network.form
        assert isinstance(again, PassphraseForm) and again.wrong.isVisibleTo(again)
        if os.environ.get("HALLWAY_SCREENSHOTS"):
            again.grab().save(os.environ["HALLWAY_SCREENSHOTS"] + "/desktop-certificate-passphrase-wrong.png")
        again.passphrase.setText(PASSPHRASE)
        again.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        until(lambda: app.store.count_posts(app.feed) > 0 and not app.window.status.text().startswith("Not syncing"),
              20)
        assert app.company_network.form is None, "not asked again once it opened"
        assert any("/api/v1/" in line for line in gateway.seen)


def test_a_proxy_that_asks_for_kerberos_gets_the_persons_ticket_and_no_password(
        tmp_path: Path, own_demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Squid with Negotiate against a realm of Debian's MIT KDC: with no ticket Hallway says so
    in words that name the proxy; once the person has one, requests (plain and through a CONNECT
    tunnel) and the live stream go through it, a fresh token on each connection, no password."""
    import inspecting_proxy
    import kerberos_realm

    from hallway.demo.viva.server import TestCA

    with kerberos_realm.running() as realm, squid_proxy.running(kerberos=realm) as squid:
        for name, value in realm.environment.items():
            monkeypatch.setenv(name, value)
        config = machine(tmp_path, own_demo, url=f"http://localhost:{squid.port}")
        proxy.configure(config)
        network = MastodonNetwork(own_demo.url, own_demo.token_for("demo"), HttpClient(attempts=1))
        with pytest.raises(ProxyRefused, match=f"proxy at localhost:{squid.port} asks .* Kerberos could not be used: "
                                               "there is no sign-in ticket on this computer"):
            network.me()

        realm.sign_in()  # the person's login
        assert network.me().handle == "demo"
        core_through(tmp_path, own_demo, config, "Kerberos let me in")
        from hallway.commands.doctor import _check_way
        _check_way(own_demo.url)
        assert f"through http://localhost:{squid.port} (IT's setting proxy.url); signs in to it with Kerberos (your " \
               "sign-in ticket, no password)" in capsys.readouterr().out
        company_root = TestCA(tmp_path)
        monkeypatch.setenv("SSL_CERT_FILE", str(company_root.ca_file))
        with inspecting_proxy.tls_front(company_root.server_context(), int(own_demo.url.rsplit(":", 1)[1])) as port:
            tunnelled = MastodonNetwork(f"https://127.0.0.1:{port}", own_demo.token_for("demo"),
                                        HttpClient(attempts=1))
            assert tunnelled.me().handle == "demo"
            assert tunnelled.feed(COMPANY_FEED, limit=3).posts
            tunnelled.client.close()  # Squid logs a tunnel once it closes
        assert squid.carried("ana@HALLWAY.TEST", "/api/v1/streaming"), "the stream went through as ana"
        assert squid.carried("ana@HALLWAY.TEST", f"CONNECT 127.0.0.1:{port}"), "the tunnel went through as ana"
        assert not list((tmp_path / "home").rglob("*.toml")) or all(
            "HALLWAY.TEST" not in f.read_text() for f in (tmp_path / "home").rglob("*.toml"))


def test_wpad_finds_the_pac_file_on_the_companys_network_by_name(
        tmp_path: Path, own_demo: DemoNetwork, pac_server: PacServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """``proxy.pac_url = "wpad"``: the PAC file at the first of WPAD's addresses that answers
    (wpad.<domain>/wpad.dat, each shorter domain in turn); none answering is said in words."""
    import pypac.wpad

    with squid_proxy.running() as squid:
        found = pac_server.url("wpad.dat", only_the_network_through(squid, own_demo))
        gone = found.replace("/wpad.dat", "/nothing-here.dat")
        monkeypatch.setattr(pypac.wpad, "proxy_urls_from_dns", lambda local_hostname=None: [gone, found])
        proxy.configure(machine(tmp_path, own_demo, pac_url="wpad"))
        route = proxy.router().route(own_demo.url)
        assert route.proxy == f"http://127.0.0.1:{squid.port}" and f"the PAC file at {found}" in route.source
        assert MastodonNetwork(own_demo.url, own_demo.token_for("demo"), HttpClient(attempts=1)).me().handle == "demo"
        assert squid.carried("verify_credentials")
    monkeypatch.setattr(pypac.wpad, "proxy_urls_from_dns", lambda local_hostname=None: [gone])
    proxy.configure(machine(tmp_path, own_demo, pac_url="wpad", no_proxy="nowhere.example"))
    with pytest.raises(ProxyRefused, match="No proxy settings file was found on the company's network"):
        HttpClient(attempts=1).request("GET", f"{own_demo.url}/api/v1/instance")

    # DHCP's answer first (option 252, as NetworkManager keeps it), before any name is tried
    nmcli = tmp_path / "bin" / "nmcli"
    nmcli.parent.mkdir(exist_ok=True)
    dhcp = pac_server.url("from-dhcp.pac", "function FindProxyForURL(url, host) { return \"PROXY dhcp.corp:3128\"; }")
    nmcli.write_text(f"#!/bin/sh\necho 'DHCP4.OPTION[1]:domain_name = corp'\necho 'DHCP4.OPTION[2]:wpad = {dhcp}'\n")
    nmcli.chmod(0o755)
    monkeypatch.setenv("PATH", f"{nmcli.parent}:/usr/bin:/bin")
    proxy.configure(machine(tmp_path, own_demo, pac_url="wpad", no_proxy="elsewhere.example"))
    route = proxy.router().route(own_demo.url)
    assert route.proxy == "http://dhcp.corp:3128" and f"the PAC file at {dhcp}" in route.source


def test_a_proxy_that_offers_only_ntlm_is_signed_in_with_the_keyrings_password_on_each_tunnel(
        tmp_path: Path, own_demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch) -> None:
    """NTLM signs in the connection itself, in three steps: the tunnel does them (the proxy's
    407 names NTLM; the keyring holds the user name and password), then every later tunnel does
    them from the start. Tested with Squid's NTLM test helper (which takes any password; its log
    shows only the user name's first letters)."""
    import inspecting_proxy

    from hallway.demo.viva.server import TestCA

    root = TestCA(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(root.ca_file))
    with squid_proxy.running(ntlm=True) as squid, \
            inspecting_proxy.tls_front(root.server_context(), int(own_demo.url.rsplit(":", 1)[1])) as port:
        proxy.configure(machine(tmp_path, own_demo, url=squid.url))
        behind = f"https://127.0.0.1:{port}"
        with pytest.raises(ProxyRefused, match="asks for a user name and password that Hallway does not have"):
            MastodonNetwork(behind, own_demo.token_for("demo"), HttpClient(attempts=1)).me()
        proxy_credentials.save(squid.url, "CORP\\ana", "cr0ssing-the-lobby")
        network = MastodonNetwork(behind, own_demo.token_for("demo"), HttpClient(attempts=1))
        assert network.me().handle == "demo"
        assert network.feed(COMPANY_FEED, limit=3).posts
        assert heard_on_the_stream(network, own_demo, "NTLM let me in"), "the stream's own tunnel signed in too"
        network.client.close()
        assert proxy_credentials.scheme(squid.url) == "ntlm"
        tunnels = squid.carried("TCP_TUNNEL/200", f"CONNECT 127.0.0.1:{port}")
        assert tunnels and all(line.split()[7] != "-" for line in tunnels), "each tunnel signed in" + squid.log()


def test_a_laptop_leaving_the_office_goes_direct_after_its_first_lost_connection(
        demo: DemoNetwork, monkeypatch: pytest.MonkeyPatch) -> None:
    """The office's proxy is in the computer's settings; at home it is gone from them (the VPN
    dropped, another network). The way was remembered for 30 minutes: at home every request
    failed through a proxy that is not there until then. Now the first lost connection has the
    way decided again (at most once a minute)."""
    import socket
    with socket.socket() as probe:  # a port nothing listens on: the office's proxy, out of reach
        probe.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{probe.getsockname()[1]}"
    settings_now = [system.SystemProxy("GNOME's proxy settings", {"http": gone, "https": gone})]
    reads: list[float] = []

    def read() -> system.SystemProxy:
        reads.append(time.monotonic())
        return settings_now[0]

    monkeypatch.setattr(proxy, "_ROUTER", Router(system=read))
    with pytest.raises(ProxyRefused, match="did not carry the request"):
        HttpClient(attempts=1).request("GET", f"{demo.url}/api/v1/instance")
    settings_now[0] = system.SystemProxy("no proxy set on this computer")  # home
    assert HttpClient(attempts=1).request("GET", f"{demo.url}/api/v1/instance").status == 200
    assert proxy.router().route(demo.url).proxy is None
    read_so_far = len(reads)
    for _ in range(3):  # a server that is down costs no fresh reading of the settings each try
        with pytest.raises(Exception):  # noqa: B017
            HttpClient(attempts=1).request("GET", gone + "/")
    assert len(reads) == read_so_far, "read again at most once a minute"
