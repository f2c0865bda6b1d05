"""Refreshing an OAuth 2 sign-in (RFC 6749 section 6): the same exchange on every network that
issues refresh tokens (Microsoft Entra ID, Salesforce, a Mastodon-API server that expires its
tokens), so each connector's sign-in only says where its token endpoint is."""

from __future__ import annotations

import logging

from hallway.http import HttpClient, Refused, Unauthorized
from hallway.signin.credentials import Credentials

log = logging.getLogger(__name__)


def refresh(credentials: Credentials, client: HttpClient) -> Credentials:
    """The next access token for ``credentials``. A refused refresh (``invalid_grant``: revoked,
    expired, or the person's password changed; ``invalid_client``: the app is gone) is
    Unauthorized, which means "sign in again"; no answer is Offline, which means "later"."""
    if not credentials.token_url or not credentials.refresh_token:
        raise Unauthorized("The sign-in has expired and cannot be renewed here.")
    form = {"grant_type": "refresh_token", "refresh_token": credentials.refresh_token}
    if credentials.client_id:
        form["client_id"] = credentials.client_id
    if credentials.client_secret:
        form["client_secret"] = credentials.client_secret
    if credentials.scope:
        form["scope"] = credentials.scope
    try:
        answer = client.request("POST", credentials.token_url, data=form, conditional=False).json()
    except Refused as refused:  # 400 invalid_grant (RFC 6749 5.2): this refresh token is done
        raise Unauthorized(f"The network would not renew the sign-in ({refused.message})", refused.status) from None
    if not isinstance(answer, dict) or not answer.get("access_token"):
        raise Unauthorized("The network's answer to renewing the sign-in had no token.")
    return credentials.refreshed(answer)
