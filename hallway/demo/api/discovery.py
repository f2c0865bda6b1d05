"""The instance's description and the OAuth discovery, sign-in and token endpoints.
Part of the demo's Mastodon API (hallway/demo/api)."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from hallway.demo import pages
from hallway.demo.api import (
    MAX_PROFILE_FIELDS,
    MAX_STATUS_CHARS,
    MastodonAPI,
    route,
)
from hallway.demo.oauth import OOB, OAuthError, parse_scopes
from hallway.demo.web import (
    Request,
    Response,
    error,
    html_response,
    json_response,
)


@route("GET", "/api/v1/instance", auth="none")
def instance_v1(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    base = request.base_url
    return json_response({
        "uri": api.org.acct_domain or urlsplit(base).netloc, "title": api.org.name,
        "short_description": f"{api.org.name}'s internal network (Hallway demo)",
        "description": "A generated organisation for trying Hallway.", "email": f"it@{api.org.domain}",
        "version": api.behaviour.version,
        "urls": {"streaming_api": base.replace("http://", "ws://")},
        "stats": {"user_count": len(api.org.accounts), "status_count": len(api.org.statuses),
                  "domain_count": 1},
        "languages": ["en"], "registrations": False, "approval_required": True,
        "invites_enabled": False, "configuration": {"statuses": {"max_characters": MAX_STATUS_CHARS}},
    })


@route("GET", "/api/v2/instance", auth="none")
def instance_v2(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    base = request.base_url
    return json_response({
        "domain": api.org.acct_domain or urlsplit(base).netloc, "title": api.org.name,
        "version": api.behaviour.version,
        "source_url": "https://example.invalid/hallway", "description": "Hallway demo network",
        "api_versions": {"mastodon": 2},
        "usage": {"users": {"active_month": len(api.org.accounts)}},
        "languages": ["en"],
        "configuration": {
            "urls": {"streaming": base.replace("http://", "ws://")},
            "statuses": {"max_characters": MAX_STATUS_CHARS},
            "accounts": {"max_profile_fields": MAX_PROFILE_FIELDS},
            "timelines_access": {
                "live_feeds": {"local": "authenticated", "remote": "disabled"},
                "hashtag_feeds": {"local": "authenticated", "remote": "disabled"},
                "trending_link_feeds": {"local": "disabled", "remote": "disabled"},
            },
        },
        "registrations": {"enabled": False, "approval_required": True},
        "contact": {"email": f"it@{api.org.domain}"},
        "rules": [],
    })


@route("GET", "/.well-known/oauth-authorization-server", auth="none")
def oauth_metadata(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    base = request.base_url
    return json_response({
        "issuer": f"{base}/",
        "authorization_endpoint": f"{base}/oauth/authorize",
        "token_endpoint": f"{base}/oauth/token",
        "revocation_endpoint": f"{base}/oauth/revoke",
        "app_registration_endpoint": f"{base}/api/v1/apps",
        "scopes_supported": ["read", "write", "follow", "push", "profile"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    })


@route("POST", "/api/v1/apps", auth="none")
def create_app(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    name = (request.get("client_name") or "").strip()
    uris = request.getlist("redirect_uris")
    if len(uris) == 1:
        uris = [u for u in re.split(r"[\s]+", uris[0]) if u]
    if not name or not uris:
        return error(422, "Validation failed: Application name can't be blank, Redirect URI can't be blank"
                     if not name else "Validation failed: Redirect URI can't be blank")
    try:
        app = api.oauth.register(name[:200], uris, parse_scopes(request.get("scopes")), request.get("website"))
    except OAuthError as failure:
        return error(failure.status if failure.status != 400 else 422, failure.description)
    return json_response({
        "id": str(len(api.oauth.apps)), "name": app.name, "website": app.website,
        "scopes": sorted(app.scopes), "redirect_uri": "\n".join(app.redirect_uris),
        "redirect_uris": app.redirect_uris, "client_id": app.client_id,
        "client_secret": app.client_secret, "client_secret_expires_at": 0, "vapid_key": "",
    })


def _authorization_params(request: Request) -> dict[str, str | None]:
    names = ("client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge",
             "code_challenge_method", "login_hint")
    return {n: request.get(n) for n in names}


@route("GET", "/oauth/authorize", auth="none")
def authorize_page(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    params = _authorization_params(request)
    try:
        app, scopes = api.oauth.check_authorization(
            params["client_id"], params["redirect_uri"], params["response_type"], params["scope"],
            params["code_challenge"], params["code_challenge_method"])
    except OAuthError as failure:
        return html_response(pages.oauth_error(failure.description), failure.status)
    hinted = api.org.by_username(params["login_hint"] or "")
    if api.auto_approve:
        account = hinted or api.org.accounts[api.org.demo_user_id]
        return _finish_authorization(api, params, app.client_id, account.id, scopes)
    people = [api.org.accounts[api.org.demo_user_id], api.org.accounts[api.org.kiosk_account_id]]
    people += [a for a in api.org.accounts.values() if not a.bot and a not in people][:4]
    if hinted and hinted not in people:
        people.insert(0, hinted)
    return html_response(pages.consent(api.org, app.name, sorted(scopes), params, people))


@route("POST", "/oauth/authorize", auth="none")
def authorize_decision(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    params = _authorization_params(request)
    try:
        app, scopes = api.oauth.check_authorization(
            params["client_id"], params["redirect_uri"], params["response_type"], params["scope"],
            params["code_challenge"], params["code_challenge_method"])
    except OAuthError as failure:
        return html_response(pages.oauth_error(failure.description), failure.status)
    if request.get("decision") != "approve":
        return _redirect(params, {"error": "access_denied",
                                  "error_description": "The resource owner denied the request."})
    account = api.org.by_username(request.get("account") or "")
    if account is None:
        return html_response(pages.oauth_error("Choose who you are signing in as."), 400)
    return _finish_authorization(api, params, app.client_id, account.id, scopes)


def _finish_authorization(api: MastodonAPI, params: dict[str, str | None], client_id: str,
                          account_id: str, scopes: set[str]) -> Response:
    redirect_uri = params["redirect_uri"] or OOB
    code = api.oauth.grant(api.oauth.apps[client_id], account_id, redirect_uri, scopes,
                           params["code_challenge"])
    if redirect_uri == OOB:
        return html_response(pages.show_code(code))
    return _redirect(params, {"code": code})


def _redirect(params: dict[str, str | None], values: dict[str, str]) -> Response:
    if params["state"] is not None:
        values["state"] = params["state"]
    target = params["redirect_uri"] or ""
    joiner = "&" if "?" in target else "?"
    return Response(302, b"", "text/plain", {"Location": f"{target}{joiner}{urlencode(values)}"})


def _form(request: Request) -> dict[str, str]:
    names = ("grant_type", "code", "redirect_uri", "client_id", "client_secret", "code_verifier",
             "scope", "token", "refresh_token")
    values = {n: v for n in names if (v := request.get(n)) is not None}
    auth = request.headers.get("Authorization") or ""
    if auth.lower().startswith("basic "):  # client_secret_basic
        try:
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            values.setdefault("client_id", client_id)
            values.setdefault("client_secret", secret)
        except ValueError:
            pass
    return values


@route("POST", "/oauth/token", auth="none")
def token(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    try:
        issued = api.oauth.exchange(_form(request))
    except OAuthError as failure:
        return json_response({"error": failure.code, "error_description": failure.description},
                             failure.status)
    answer: dict[str, Any] = {"access_token": issued.value, "token_type": "Bearer",
                              "scope": " ".join(sorted(issued.scopes)), "created_at": int(issued.created_at)}
    if issued.refresh_token:  # behind the demo's switch: Doorkeeper's answer with use_refresh_token
        answer |= {"refresh_token": issued.refresh_token, "expires_in": int(issued.expires_at - issued.created_at)}
    return json_response(answer)


@route("POST", "/oauth/revoke", auth="none")
def revoke(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    if not api.behaviour.revokes:  # the token goes on working until it expires or an admin ends it
        return json_response({"error": "unauthorized_client",
                              "error_description": "You are not authorized to revoke this token"}, 403)
    api.oauth.revoke(_form(request))
    return json_response({})


@route("GET", "/.well-known/nodeinfo", auth="none")
def nodeinfo_index(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    return json_response({"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                                     "href": f"{request.base_url}/nodeinfo/2.0"}]})


@route("GET", "/nodeinfo/2.0", auth="none")
def nodeinfo(api: MastodonAPI, request: Request, _: re.Match[str]) -> Response:
    """nodeinfo 2.0: the software's own name and version (the part after "compatible;")."""
    named = re.search(r"compatible;\s*(\S+)\s+(\S+)\)", api.behaviour.version)
    name, version = (named[1].lower(), named[2]) if named else ("mastodon", api.behaviour.version)
    return json_response({
        "version": "2.0", "software": {"name": name, "version": version}, "protocols": ["activitypub"],
        "services": {"outbound": [], "inbound": []}, "openRegistrations": False,
        "usage": {"users": {"total": len(api.org.accounts)}, "localPosts": len(api.org.statuses)}, "metadata": {}})
