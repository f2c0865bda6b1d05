"""The Microsoft Graph endpoints Hallway calls, under ``/v1.0``: people, their photos, presence
with work location, and the person's own work plan. Envelopes (``value``, ``@odata.nextLink``,
``@odata.deltaLink``), errors (``{"error": {"code", "message", "innerError"}}``) and permissions
as Microsoft's Graph reference documents them."""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from hallway.demo.avatars import portrait
from hallway.demo.viva.routes import Call, Source, router
from hallway.demo.viva.tenant import Person
from hallway.demo.web import Response, json_response

ROUTES, route = router()
BASIC = ("id", "displayName", "givenName", "surname", "mail", "userPrincipalName", "businessPhones", "jobTitle",
         "mobilePhone", "officeLocation", "preferredLanguage")  # what /users returns without $select
READ_BASIC = {"id", "displayName", "givenName", "surname", "mail", "userPrincipalName"}  # User.ReadBasic.All's
SINGLE_ONLY = {"aboutMe", "interests", "skills", "birthday", "hireDate", "responsibilities", "schools",
               "pastProjects", "mySite", "preferredName"}
MAX_TOP = 999
PAGE = 100  # /users' default page size
PRESENCE_IDS_MAX = 650


def graph_error(status: int, code: str, message: str) -> Response:
    return json_response({"error": {"code": code, "message": message, "innerError": {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), "request-id": str(uuid.uuid4()),
        "client-request-id": str(uuid.uuid4())}}}, status)


def denied() -> Response:
    return graph_error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")


def _value(person: Person, name: str, full: bool) -> Any:
    """A user property as Graph writes it; without User.Read.All, what the basic permission does
    not cover reads as null (a guess: the documentation lists the basic set, not the answer)."""
    if not full and name not in READ_BASIC:
        return None
    given, _, family = person.display_name.partition(" ")
    values: dict[str, Any] = {
        "id": person.graph_id, "displayName": person.display_name, "givenName": given, "surname": family or None,
        "mail": person.mail, "userPrincipalName": person.upn, "businessPhones": [], "mobilePhone": None,
        "preferredLanguage": "en-US", "jobTitle": person.job_title, "department": person.department,
        "officeLocation": person.office_location, "city": person.city, "accountEnabled": person.account_enabled,
        "userType": person.user_type, "showInAddressList": person.show_in_address_list,
        "companyName": None, "aboutMe": person.about_me or None, "interests": person.interests,
        "skills": person.skills, "responsibilities": [], "schools": [], "pastProjects": [], "mySite": None,
        "preferredName": None,
        # Graph's birthday is a DateTimeOffset; a person who never set one reads as the year 1 (a guess).
        "birthday": f"{person.birthday.isoformat()}T00:00:00Z" if person.birthday else "0001-01-01T08:00:00Z",
        "hireDate": f"{person.hire_date.isoformat()}T00:00:00Z" if person.hire_date else None,
    }
    return values.get(name)


def _selected(call: Call) -> tuple[str, ...]:
    raw = call.request.get("$select")
    return tuple(s.strip() for s in raw.split(",") if s.strip()) if raw else BASIC


def _user(call: Call, person: Person, select: tuple[str, ...]) -> dict[str, Any]:
    full = call.tenant.quirks.user_read_all
    return {"id": person.graph_id, **{name: _value(person, name, full) for name in select if name != "id"}}


def _listed(call: Call) -> list[Person]:
    people = sorted(call.tenant.people.values(), key=lambda p: p.graph_id)
    wanted = call.request.get("$filter")
    if wanted is None:
        return people
    if wanted.replace(" ", "") == "accountEnabledeqtrue":
        return [p for p in people if p.account_enabled]
    by_mail = re.fullmatch(r"\s*(mail|userPrincipalName)\s+eq\s+'([^']*)'\s*", wanted)
    if by_mail:
        field = "mail" if by_mail[1] == "mail" else "upn"
        return [p for p in people if (getattr(p, field) or "").lower() == by_mail[2].replace("''", "'").lower()]
    raise_unsupported = graph_error(400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause "
                                    "specified for property 'accountEnabled' of resource 'User'.")
    raise _Refused(raise_unsupported)


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__("refused")
        self.response = response


@route("GET", r"/v1\.0/me", Source.DOCS, "graph/api/user-get: GET /me")
def me(call: Call, _: re.Match[str]) -> Response:
    return json_response({"@odata.context": f"{call.base}/v1.0/$metadata#users/$entity",
                          **_user(call, call.me, _selected(call))})


@route("GET", r"/v1\.0/users", Source.DOCS, "graph/api/user-list: $select, $top, $filter, @odata.nextLink")
def users(call: Call, _: re.Match[str]) -> Response:
    select = _selected(call)
    single = sorted(SINGLE_ONLY & set(select))
    if single:  # "only returned when you retrieve a single user": refused in a list (the error is a guess)
        return graph_error(400, "Request_UnsupportedQuery", f"The following properties are only supported for a "
                           f"single user: {', '.join(single)}.")
    try:
        top = min(int(call.request.get("$top") or PAGE), MAX_TOP)
        people = _listed(call)
    except ValueError:
        return graph_error(400, "Request_BadRequest", "Invalid value for $top.")
    except _Refused as refused:
        return refused.response
    start = int(call.request.get("$skiptoken") or 0)
    page = people[start:start + top]
    body: dict[str, Any] = {"@odata.context": f"{call.base}/v1.0/$metadata#users",
                            "value": [_user(call, p, select) for p in page]}
    if start + top < len(people):
        query = {k: v for k, v in call.request.query.items() if k != "$skiptoken"}
        flat = {k: v[-1] for k, v in query.items()} | {"$skiptoken": str(start + top)}
        body["@odata.nextLink"] = f"{call.base}/v1.0/users?{urlencode(flat)}"
    return json_response(body)


@route("GET", r"/v1\.0/users/delta", Source.DOCS, "graph/api/user-delta: @odata.nextLink, then @odata.deltaLink")
def users_delta(call: Call, _: re.Match[str]) -> Response:
    """The first round lists everyone (a page at a time); its deltaLink then gives only who
    changed since. Removed people come with ``@removed`` (documented)."""
    token = call.request.get("$deltatoken")
    since = int(token) if token and token.isdigit() else 0
    start = int(call.request.get("$skiptoken") or 0)
    select = _selected(call)
    everyone = sorted(call.tenant.people.values(), key=lambda p: p.graph_id)
    people = [p for p in everyone if p.changed > since or not token]
    page = people[start:start + PAGE]
    value = []
    for person in page:
        item = _user(call, person, select)
        if not person.account_enabled and token:
            item["@removed"] = {"reason": "changed"}
        value.append(item)
    body: dict[str, Any] = {"@odata.context": f"{call.base}/v1.0/$metadata#users", "value": value}
    keep = {"$select": ",".join(select)} | ({"$deltatoken": token} if token else {})
    if start + PAGE < len(people):
        body["@odata.nextLink"] = f"{call.base}/v1.0/users/delta?{urlencode(keep | {'$skiptoken': start + PAGE})}"
    else:
        body["@odata.deltaLink"] = (f"{call.base}/v1.0/users/delta?"
                                    f"{urlencode({'$select': ','.join(select), '$deltatoken': call.tenant.change})}")
    return json_response(body)


@route("GET", r"/v1\.0/users/(?P<id>[^/]+)", Source.DOCS, "graph/api/user-get: aboutMe and the like only here")
def user(call: Call, match: re.Match[str]) -> Response:
    person = _find(call, match["id"])
    if person is None:
        return graph_error(404, "Request_ResourceNotFound", f"Resource '{match['id']}' does not exist or one of its "
                           "queried reference-property objects are not present.")
    return json_response({"@odata.context": f"{call.base}/v1.0/$metadata#users/$entity",
                          **_user(call, person, _selected(call))})


def _find(call: Call, key: str) -> Person | None:
    person = call.tenant.people.get(key)
    if person is None:
        person = next((p for p in call.tenant.people.values() if p.upn.lower() == key.lower()), None)
    return person


@route("GET", r"/v1\.0/users/(?P<id>[^/]+)/photo/\$value", Source.DOCS,
       "graph/api/profilephoto-get: the bytes; 404 ImageNotFound when the person has none")
def photo(call: Call, match: re.Match[str]) -> Response:
    person = _find(call, match["id"])
    if person is None or not person.has_photo:
        return graph_error(404, "ImageNotFound", "Exception of type 'Microsoft.Fast.Profile.Core.Exception."
                           "ImageNotFoundException' was thrown.")
    return Response(200, portrait(person.avatar_seed, 240), "image/png", {"Cache-Control": "private, max-age=3600"})


@route("POST", r"/v1\.0/communications/getPresencesByUserId", Source.DOCS,
       "graph/api/cloudcommunications-getpresencesbyuserid: ids, at most 650; workLocation (an inference)")
def presences(call: Call, _: re.Match[str]) -> Response:
    if not call.tenant.quirks.presence_read_all:
        return denied()
    ids = call.request.json.get("ids") if isinstance(call.request.json, dict) else None
    if not isinstance(ids, list) or not ids or len(ids) > PRESENCE_IDS_MAX:
        return graph_error(400, "BadRequest", f"ids must list 1 to {PRESENCE_IDS_MAX} users.")
    value = []
    for key in ids:
        person = call.tenant.people.get(str(key))
        if person is not None:
            value.append(_presence(person))
    return json_response({"value": value})


def _presence(person: Person) -> dict[str, Any]:
    return {"id": person.graph_id, "availability": "Available" if person.work_location == "office" else "Offline",
            "activity": "Available" if person.work_location == "office" else "Offline",
            "workLocation": {"workLocationType": person.work_location, "source": person.location_source,
                             "placeId": None}}


@route("GET", r"/v1\.0/me/presence", Source.DOCS, "graph/api/presence-get")
def my_presence(call: Call, _: re.Match[str]) -> Response:
    return json_response(_presence(call.me))


@route("POST", r"/v1\.0/me/presence/setManualLocation", Source.DOCS,
       "graph/api/presence-setmanuallocation: workLocationType, placeId; delegated, oneself only")
def set_location(call: Call, _: re.Match[str]) -> Response:
    body = call.request.json if isinstance(call.request.json, dict) else {}
    kind = body.get("workLocationType")
    if kind not in ("office", "remote", "timeOff", "unspecified"):
        return graph_error(400, "BadRequest", "workLocationType must be office, remote, timeOff or unspecified.")
    if call.token is None or "Presence.ReadWrite" not in call.token.scopes:
        return denied()
    with call.tenant.lock:
        call.me.work_location, call.me.location_source = str(kind), "manual"
    return Response(200, b"")


@route("GET", r"/v1\.0/(?:me|users/(?P<id>[^/]+))/settings/workHoursAndLocations/occurrencesView\("
              r"startDateTime='(?P<start>[^']+)',endDateTime='(?P<end>[^']+)'\)", Source.DOCS,
       "graph/api/workhoursandlocationssetting-occurrencesview: one's own plan only")
def plan(call: Call, match: re.Match[str]) -> Response:
    if match["id"] and match["id"] != call.me.graph_id:
        return graph_error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
    try:
        start = datetime.fromisoformat(match["start"].replace("Z", "+00:00")).date()
        end = datetime.fromisoformat(match["end"].replace("Z", "+00:00")).date()
    except ValueError:
        return graph_error(400, "ErrorInvalidParameter", "The value of startDateTime or endDateTime is invalid.")
    value = []
    for day, kind in sorted(call.me.plan.items()):
        if start <= day < end:
            value.append({"id": f"occ-{day.isoformat()}", "recurrenceId": None, "workLocationType": kind,
                          "placeId": None, "start": {"dateTime": f"{day.isoformat()}T09:00:00.0000000",
                                                     "timeZone": "UTC"},
                          "end": {"dateTime": f"{day.isoformat()}T17:00:00.0000000", "timeZone": "UTC"}})
    return json_response({"value": value})


@route("POST", r"/v1\.0/\$batch", Source.DOCS, "graph/json-batching: at most 20 requests, answers in any order")
def batch(call: Call, _: re.Match[str]) -> Response:
    asked = call.request.json.get("requests") if isinstance(call.request.json, dict) else None
    if not isinstance(asked, list) or not asked or len(asked) > 20:
        return graph_error(400, "BadRequest", "The batch must hold 1 to 20 requests.")
    answers = []
    for item in asked:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str) or not item.get("id"):
            return graph_error(400, "BadRequest", "Each request in a batch needs an id, a method and a url.")
        parts = urlsplit(item["url"])
        inner = replace(call.request, method=str(item.get("method", "GET")).upper(), path="/v1.0" + parts.path,
                        query=parse_qs(parts.query, keep_blank_values=True), json=item.get("body"), form={})
        answer = graph_error(404, "Request_ResourceNotFound", "Not found.")
        for candidate in ROUTES:
            found = candidate.pattern.match(inner.path)
            if found and candidate.method == inner.method and candidate.handler is not batch:
                answer = candidate.handler(replace(call, request=inner), found)
                break
        body: Any = None
        if answer.body and answer.content_type.startswith("application/json"):
            body = json.loads(answer.body)
        answers.append({"id": item["id"], "status": answer.status,
                        "headers": {"Content-Type": answer.content_type}, "body": body})
    return json_response({"responses": answers})
