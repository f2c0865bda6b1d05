"""Signing in to Viva Engage: the company's own Microsoft 365 sign-in (Entra ID), through MSAL.

Laptops: the authorization code flow with PKCE in the system browser, back on Hallway's loopback
redirect (``http://127.0.0.1/callback``, any port, registered in the company's Entra app as a
public client). The kiosk: the device code flow, where IT types a code on a phone (``hallway
set-token --kiosk``). MSAL (Microsoft's own library) speaks to Entra; Hallway keeps the answer
as ``Credentials`` in the OS keyring, and its HTTP client refreshes it (hallway/signin/oauth.py).

One sign-in serves two resources: Microsoft Graph (people, photos, presence, the work plan) and
Yammer (feeds and posts). The sign-in asks for Graph's ``.default`` scope (whatever IT granted
the app, admin consent included); the Yammer token comes from the same refresh token, asking for
Yammer's scope under the first name the tenant accepts (Microsoft's pages name three).
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from hallway.http import HttpClient, Unauthorized, new_session
from hallway.signin.credentials import Credentials, new_account, oauth_fields
from hallway.signin.errors import Revoked, SignInError
from hallway.signin.loopback import LoopbackRedirect

if TYPE_CHECKING:
    from hallway.config import Config

log = logging.getLogger(__name__)
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
# The Yammer resource's delegated permission under each name Microsoft's pages give it: the
# first the tenant accepts is used (doctor says which).
YAMMER_SCOPES = ("https://api.yammer.com/user_impersonation", "https://api.yammer.com/.default",
                 "https://api.yammer.com/access_as_user")
MICROSOFT_HOSTS = ("login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn")
ShowCode = Callable[[str, str], None]  # (the address to open, the code to type)


def settings_of(config: Config | None) -> tuple[str, str, str]:
    """(sign-in host, tenant, client id) from the settings; a clear message where IT left one out."""
    if config is None:
        raise SignInError("Viva Engage is not set up", "Hallway's settings were not given to the sign-in.")
    tenant, client_id = config["viva_engage.tenant"], config["viva_engage.client_id"]
    if not tenant or not client_id:
        raise SignInError("Viva Engage is not set up", "IT sets viva_engage.tenant and viva_engage.client_id "
                          "(Hallway's app registration in Microsoft Entra ID): see docs/admin.md.")
    return config["viva_engage.login"].rstrip("/"), tenant, client_id


def application(login: str, tenant: str, client_id: str) -> Any:
    """MSAL's public client for the company's tenant, over Hallway's own HTTP session (the OS
    trust store and proxies). Instance discovery asks Microsoft's cloud which hosts are its own;
    a sign-in host IT names that is not Microsoft's (a test tenant) is taken as given."""
    import msal

    known = urlsplit(login).hostname in MICROSOFT_HOSTS
    try:
        return msal.PublicClientApplication(client_id, authority=f"{login}/{tenant}", http_client=new_session(),
                                            instance_discovery=None if known else False, timeout=30)
    except ValueError as failure:
        raise SignInError("Microsoft's sign-in did not answer as expected", str(failure)[:300]) from None
    except OSError as failure:
        raise SignInError("Can't reach Microsoft's sign-in", f"{login} did not answer ({type(failure).__name__}).") \
            from None


def _credentials(answer: dict[str, Any], app: Any, client_id: str) -> Credentials:
    if "access_token" not in answer:
        words = str(answer.get("error_description") or answer.get("error") or "no token")
        if "AADSTS65001" in words or answer.get("error") == "consent_required":
            raise SignInError("Your company has not approved Hallway yet",
                              "An administrator grants consent for Hallway's app in Microsoft Entra ID "
                              "(Enterprise applications > Hallway > Permissions). " + words[:200])
        raise SignInError("Microsoft did not accept the sign-in", words[:300])
    return Credentials(**oauth_fields(answer), token_url=app.authority.token_endpoint, client_id=client_id,
                       scope=f"{GRAPH_SCOPE} offline_access", account=new_account())


def sign_in(server: str, client: HttpClient, open_browser: Callable[[str], Any], timeout_s: float,
            ask_password: object = None, ask_code: object = None, config: Config | None = None) -> Credentials:
    """The browser to the company's Microsoft sign-in, back to Hallway with a code; MSAL checks
    the state and the PKCE verifier and redeems it."""
    login, tenant, client_id = settings_of(config)
    app = application(login, tenant, client_id)
    listener = LoopbackRedirect("code")
    try:
        with warnings.catch_warnings():
            # MSAL recommends form_post; the loopback listener takes the code in the query, which
            # never leaves this computer (RFC 8252), and a form post would need the page's script.
            warnings.simplefilter("ignore", UserWarning)
            flow = app.initiate_auth_code_flow([GRAPH_SCOPE], redirect_uri=listener.redirect, state=listener.state,
                                               response_mode="query")
    except ValueError as failure:
        listener.close()
        raise SignInError("Microsoft's sign-in did not start", str(failure)[:300]) from None
    code = listener.wait(flow["auth_uri"], open_browser, timeout_s)
    try:
        answer = app.acquire_token_by_auth_code_flow(flow, {"code": code, "state": listener.state})
    except (ValueError, OSError) as failure:
        raise SignInError("Microsoft did not accept the sign-in", str(failure)[:300]) from None
    return _credentials(answer, app, client_id)


def device_sign_in(config: Config, show: ShowCode, timeout_s: float = 900.0,
                   cancelled: threading.Event | None = None) -> Credentials:
    """The kiosk's sign-in: a code to type at Microsoft's address on another device (a phone), as
    the kiosk's service account; waits until it is typed, refused, expires or is ``cancelled``."""
    login, tenant, client_id = settings_of(config)
    app = application(login, tenant, client_id)
    flow = app.initiate_device_flow([GRAPH_SCOPE])
    if "user_code" not in flow:
        raise SignInError("Microsoft did not start the device sign-in",
                          str(flow.get("error_description") or flow.get("error") or flow)[:300])
    show(str(flow.get("verification_uri", "")), str(flow["user_code"]))
    flow["expires_at"] = min(float(flow.get("expires_at") or 0) or float("inf"), time.time() + timeout_s)
    if cancelled is not None:  # MSAL stops polling when the flow's expiry is set to 0
        threading.Thread(target=lambda: cancelled.wait(timeout_s) and flow.update(expires_at=0), daemon=True,
                         name="hallway-device-sign-in").start()
    answer = app.acquire_token_by_device_flow(flow)
    if cancelled is not None and cancelled.is_set():
        raise SignInError("Sign-in was cancelled", "Nobody finished signing in.")
    return _credentials(answer, app, client_id)


def yammer_credentials(graph: Credentials, client: HttpClient, scopes: tuple[str, ...] = YAMMER_SCOPES) -> Credentials:
    """A Yammer token from the sign-in's refresh token, under the first scope name the tenant
    accepts; Unauthorized when none is (the words name each one tried)."""
    from hallway.signin import oauth

    tried: list[str] = []
    first = (graph.scope,) if graph.scope.startswith("https://api.yammer.com/") else ()
    for scope in dict.fromkeys((*first, *scopes)):
        try:
            return oauth.refresh(replace(graph, scope=f"{scope} offline_access", access_token="", expires_at=1.0),
                                 client)
        except Unauthorized as refused:
            if "AADSTS70011" not in refused.message and "invalid_scope" not in refused.message:
                raise
            tried.append(f"{scope}: {refused.message[:120]}")
    raise Unauthorized("The tenant accepts none of Yammer's scopes: " + "; ".join(tried))


def revoke(server: str, token: str, client: HttpClient) -> Revoked:
    """Entra has no endpoint that ends one app's refresh token (revokeSignInSessions ends every
    session the person has, which Hallway must not do): the sign-in is forgotten here, and ends
    at Microsoft when it expires or the person signs out everywhere."""
    return Revoked.UNTIL_EXPIRY
