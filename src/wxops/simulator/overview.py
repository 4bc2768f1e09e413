"""``GET /sim/``: a plain HTML overview for people — accounts, their followers, sends and
callbacks, with links to the JSON inspection API. Read-only."""

from __future__ import annotations

import html

from .clock import iso
from .engine import Simulator
from .router import Request, Response, route

LINKS = ("sends", "outbox", "drafts", "publishes", "articles", "comments", "followers", "activity", "tokens")


@route("GET", "/sim/")
def overview(sim: Simulator, request: Request) -> Response:
    rows = []
    for account in sim.accounts.all():
        app_id = account.app_id
        followers = sim.state.scalar("SELECT COUNT(*) FROM followers WHERE app_id = ? AND subscribed = 1", (app_id,))
        sends = sim.state.scalar("SELECT COUNT(*) FROM mass_sends WHERE app_id = ?", (app_id,))
        statuses = ", ".join(f"{r['status']} {r['n']}" for r in sim.state.all(
            "SELECT status, COUNT(*) AS n FROM callbacks WHERE app_id = ? GROUP BY status", (app_id,))) or "none"
        links = " ".join(f'<a href="/sim/inspect/accounts/{html.escape(app_id)}/{name}">{name}</a>'
                         for name in LINKS)
        rows.append(f"<tr><td>{html.escape(account.name)}<br><code>{html.escape(app_id)}</code></td>"
                    f"<td>{account.account_type}{'' if account.verified else ' (unverified)'}</td>"
                    f"<td>{html.escape(account.callback_url or '—')} ({account.encrypt_mode})</td>"
                    f"<td>{followers}</td><td>{sends}</td><td>{html.escape(statuses)}</td><td>{links}</td></tr>")
    clock = sim.clock.now()
    page = f"""<!doctype html><meta charset="utf-8"><title>WeChat simulator</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{border-bottom:1px solid #ddd;padding:.4em;text-align:left}}</style>
<h1>WeChat simulator 微信模拟器</h1>
<p>Simulated time: <b>{iso(clock)}</b> ({'frozen' if sim.clock.frozen else 'running'}) ·
<a href="/sim/inspect/callbacks">callbacks</a> · <a href="/sim/inspect/api-calls">API calls</a> ·
<a href="/sim/faults">faults</a> · <a href="/sim/profiles/demo">demo audience profile</a></p>
<table><tr><th>account</th><th>type</th><th>callback</th><th>followers</th><th>mass sends</th>
<th>callbacks</th><th>inspect</th></tr>{''.join(rows) or '<tr><td colspan=7>no account yet: POST /sim/accounts</td></tr>'}
</table><p>See docs/simulator.md for the control and inspection APIs.</p>"""
    return Response(body=page.encode("utf-8"), content_type="text/html; charset=utf-8")
