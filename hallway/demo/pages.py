"""The demo network's few web pages: OAuth consent, profiles (the kiosk's QR code opens
one on a phone), a post, and a home page. Everything shown is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from hallway.demo import entities
from hallway.demo.organisation import Account, Organisation, Status

SCOPE_WORDS = {
    "read": "See your profile, posts, notifications and the company directory",
    "write": "Post, react and dismiss announcements as you",
    "follow": "Follow and unfollow people for you",
    "push": "Send you notifications",
    "profile": "See your name and profile picture",
}

STYLE = """
:root { --accent: #2f6f5e; --ink: #1d2327; --muted: #5b6770; --paper: #f5f3ef; --card: #fff; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #eef1f3; --muted: #a9b4bb; --paper: #15191c; --card: #20262a; --accent: #6cc2a6; }
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; font: 17px/1.5 Inter, "Segoe UI", system-ui, sans-serif;
       color: var(--ink); background: var(--paper); display: grid; place-items: center; padding: 32px 0; }
main { width: min(460px, 92vw); background: var(--card); border-radius: 20px; padding: 36px 36px 28px;
       box-shadow: 0 12px 40px rgba(0,0,0,.08); }
.brand { display: flex; align-items: center; gap: 10px; color: var(--muted); font-weight: 600;
         letter-spacing: .02em; margin-bottom: 24px; }
.dot { width: 14px; height: 14px; border-radius: 50%; background: var(--accent); }
h1 { font-size: 26px; line-height: 1.25; margin: 0 0 8px; }
p.lead { color: var(--muted); margin: 0 0 22px; }
ul.scopes { list-style: none; padding: 0; margin: 0 0 24px; }
ul.scopes li { padding: 10px 0 10px 30px; border-top: 1px solid rgba(127,127,127,.18); position: relative; }
ul.scopes li::before { content: "\\2713"; position: absolute; left: 4px; color: var(--accent); font-weight: 700; }
fieldset { border: 0; padding: 0; margin: 0 0 24px; }
legend { font-weight: 600; margin-bottom: 10px; }
label.person { display: flex; align-items: center; gap: 12px; padding: 8px 10px; border-radius: 12px;
               cursor: pointer; }
label.person:hover { background: rgba(127,127,127,.08); }
label.person img { width: 40px; height: 40px; border-radius: 50%; }
label.person small { display: block; color: var(--muted); font-size: 14px; }
.actions { display: flex; gap: 12px; }
button { flex: 1; font: inherit; font-weight: 600; padding: 14px; border-radius: 12px; cursor: pointer;
         border: 1px solid rgba(127,127,127,.35); background: transparent; color: var(--ink); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.note { color: var(--muted); font-size: 14px; margin-top: 18px; }
.card-photo { width: 120px; height: 120px; border-radius: 50%; display: block; margin: 0 auto 16px; }
.center { text-align: center; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 20px 0 0; }
dt { color: var(--muted); }
dd { margin: 0; }
code { font-size: 20px; word-break: break-all; }
"""


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{STYLE}</style></head><body><main>{body}</main></body></html>")


def _brand(org: Organisation | None = None) -> str:
    name = escape(org.name) if org else "Demo network"
    return f'<div class="brand"><span class="dot"></span>{name}</div>'


def consent(org: Organisation, app_name: str, scopes: Sequence[str],
            params: dict[str, str | None], people: Sequence[Account]) -> str:
    hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                     for k, v in params.items() if v is not None and k != "login_hint")
    scope_items = "".join(f"<li>{escape(SCOPE_WORDS.get(s.split(':')[0], s))}</li>"
                          for s in dict.fromkeys(s.split(":")[0] for s in scopes))
    choices = []
    for i, person in enumerate(people):
        title = dict(person.fields).get("Title", "Service account" if person.bot else "")
        choices.append(
            f'<label class="person"><input type="radio" name="account" value="{escape(person.username)}"'
            f'{" checked" if i == 0 else ""}><img alt="" src="/system/accounts/avatars/{person.id}'
            f'/original/avatar.png"><span>{escape(person.display_name)}'
            f"<small>@{escape(person.username)} · {escape(title)}</small></span></label>")
    return _page(f"Authorize {app_name}", f"""
{_brand(org)}
<h1>Allow <strong>{escape(app_name)}</strong> to use your account?</h1>
<p class="lead">It will be able to:</p>
<ul class="scopes">{scope_items}</ul>
<form method="post" action="/oauth/authorize">
{hidden}
<fieldset><legend>Sign in as</legend>{"".join(choices)}</fieldset>
<div class="actions">
<button type="submit" name="decision" value="deny">Deny</button>
<button class="primary" type="submit" name="decision" value="approve">Authorize</button>
</div>
</form>
<p class="note">This is Hallway's demo network: no password is needed, and nothing leaves this computer.</p>
""")


def oauth_error(message: str) -> str:
    return _page("Sign-in problem", f"""{_brand()}<h1>This sign-in link does not work</h1>
<p class="lead">{escape(message)}</p><p class="note">Start the sign-in again from the app.</p>""")


def show_code(code: str) -> str:
    return _page("Authorization code", f"""{_brand()}<h1>Copy this code into the app</h1>
<p><code>{escape(code)}</code></p>""")


def compose(org: Organisation, text: str, author: Account, posted: bool = False) -> str:
    """Mastodon's /share page: what "say hi" in Hallway opens, with the mention written."""
    done = '<p class="lead">Posted. You can close this tab.</p>' if posted else ""
    return _page("New post", f"""{_brand(org)}
<h1>New post</h1>{done}
<form method="post" action="/share">
<p class="note">Posting as {escape(author.display_name)} (@{escape(author.username)})</p>
<textarea name="text" rows="5" style="width:100%;font:inherit;padding:12px;border-radius:12px">{escape(text)}</textarea>
<div class="actions" style="margin-top:16px"><button class="primary" type="submit">Post</button></div>
</form>""")


def not_found() -> str:
    return _page("Not found", f"{_brand()}<h1>Nothing here</h1><p class='lead'>That page does not exist.</p>")


def profile(org: Organisation, account: Account, base: str) -> str:
    facts = "".join(f"<dt>{escape(name)}</dt><dd>{escape(value)}</dd>" for name, value in account.fields)
    return _page(account.display_name, f"""{_brand(org)}
<img class="card-photo" alt="" src="/system/accounts/avatars/{account.id}/original/avatar.png">
<div class="center"><h1>{escape(account.display_name)}</h1><p class="lead">@{escape(account.username)}</p></div>
{account.note}
<dl>{facts}</dl>""")


def status(org: Organisation, post: Status, base: str) -> str:
    author = org.accounts[post.account_id]
    return _page(f"{author.display_name}: post", f"""{_brand(org)}
<p><strong>{escape(author.display_name)}</strong> <span class="note">@{escape(author.username)}</span></p>
{entities.status_html(org, post, base)}""")


def home(org: Organisation, base: str) -> str:
    return _page(org.name, f"""{_brand(org)}<h1>{escape(org.name)} demo network</h1>
<p class="lead">A Mastodon-compatible network with {len(org.accounts) - 1} generated people, for trying
Hallway. Point Hallway at <code>{escape(base)}</code>.</p>""")
