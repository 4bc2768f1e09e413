"""A burst of WeChat callbacks against wxops and against a bare verify-and-decrypt baseline, in the same run.

    .venv/bin/python benchmarks/callback_load.py [--messages 1500] [--concurrency 20] [--workers 2]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wxops_bench .venv/bin/python benchmarks/callback_load.py

Both servers run under gunicorn with the same options as ``wxops up`` and the same number of
workers and threads (``wxops up``'s WXOPS_WEB_THREADS unless ``--threads``; 1 for sync workers). The load: encrypted (safe-mode) text messages with
distinct MsgIds, plus 10 % exact resends of earlier ones (as WeChat retries), sent by
``--concurrency`` threads, each request on a new connection. Both servers are up at once and
take the load in turns (``--rounds`` slices: baseline, wxops, baseline, …), so a shared
machine whose load changes during the run weighs on both alike. Prints,
for each server, requests/s, p50/p99 latency, errors, the first request's time after boot;
for wxops, lost and duplicated rows (each distinct MsgId must be stored exactly once); and
the ratio of wxops's requests/s to the baseline's.

A fresh data folder (SQLite) or the database named by DATABASE_URL (its tables are created,
and the benchmark's account removed afterwards) is used; nothing else is touched.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
NAMES = ("baseline", "wxops")
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


@dataclass(frozen=True)
class Request:
    msg_id: int
    path: str
    body: bytes


@dataclass(frozen=True)
class Result:
    name: str
    seconds: float
    latencies: list[float]
    errors: int
    first_request: float
    busy_cpu: float = float("nan")  # the whole machine's CPU seconds while this server took its load

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.busy_cpu / len(self.latencies) if self.latencies else float("nan")

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def make_account():
    """A safe-mode (encrypted) account made for the run: the account, its token and its AES key."""
    from wxops.accounts.models import Account

    token, aes_key = secrets.token_hex(12), base64.b64encode(os.urandom(32)).decode().rstrip("=")
    account = Account.objects.create(name="压测号 " + secrets.token_hex(3), app_id="wx" + secrets.token_hex(8),
                                     app_secret=secrets.token_hex(16), callback_token=token,
                                     encoding_aes_key=aes_key, message_mode="safe")
    return account, token, aes_key


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing answers on port {port} after {timeout:.0f} s")


def make_requests(count: int, resend_share: float, token: str, aes_key: str, app_id: str, path: str,
                  seed: int = 7) -> list[Request]:
    """Signed, encrypted text messages; a share of them sent again exactly (same query, same body)."""
    from wxops.wechat import CallbackCrypto, signature

    crypto = CallbackCrypto(token, aes_key, app_id)
    rng = random.Random(seed)
    base_id = 24_000_000_000_000_000 + rng.randrange(10**9) * 10_000
    originals = []
    for index in range(count):
        msg_id = base_id + index
        # A nonce of its own per message: two messages signed in the same second with the same nonce are
        # one signature bringing two messages — refused as a replay (seed 7 draws one nonce twice in 8,000).
        timestamp, nonce = str(int(time.time())), str(index * 10**6 + rng.randrange(10**6))
        xml = (f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[oBench{index % 300:05d}]]>"
               f"</FromUserName><CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
               f"<Content><![CDATA[第 {index} 条：社保基数什么时候调整？]]></Content><MsgId>{msg_id}</MsgId></xml>")
        ciphertext = crypto.encrypt_text(xml)
        query = {"signature": signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                 "encrypt_type": "aes", "msg_signature": signature(token, timestamp, nonce, ciphertext),
                 "openid": f"oBench{index % 300:05d}"}
        body = f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>"
        originals.append(Request(msg_id, f"{path}?{urlencode(query)}", body.encode()))
    resends = [originals[rng.randrange(count)] for _ in range(int(count * resend_share))]
    mixed = originals + resends
    rng.shuffle(mixed)
    return mixed


def post(port: int, request: Request) -> tuple[int, float]:
    """One POST on a new connection; (status, seconds)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", request.path, body=request.body, headers={"Content-Type": "text/xml"})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    except OSError:
        return 0, time.perf_counter() - started
    finally:
        connection.close()


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (Linux's /proc/stat; NaN elsewhere): the
    load generator, the server and, for wxops, its database — what a request costs the machine."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return float("nan")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def load(name: str, port: int, requests: list[Request], concurrency: int, first: float) -> Result:
    queue = list(reversed(requests))
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                request = queue.pop()
            status, seconds = post(port, request)
            with lock:
                latencies.append(seconds)
                if status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started, busy = time.perf_counter(), busy_cpu_seconds()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(name, time.perf_counter() - started, latencies, errors[0], first, busy_cpu_seconds() - busy)


def serve(argv: list[str], environment: dict, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    from wxops.site.management.commands.up import GUNICORN_OPTIONS  # as `wxops up` runs it

    process = subprocess.Popen([GUNICORN, *argv, "--bind", f"127.0.0.1:{port}", "--access-logfile", str(log),
                                *GUNICORN_OPTIONS, "--no-control-socket"],
                               env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)
    return process, port


def first_request(port: int, request: Request) -> float:
    """The time of the first request a freshly booted server answers (imports, connections)."""
    status, seconds = post(port, request)
    if status != 200:
        raise SystemExit(f"the warm-up request got HTTP {status}; is the server configured?")
    return seconds


def report(results: list[Result], lost: int, duplicated: int, distinct: int) -> None:
    print(f"{'server':<10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'first ms':>9} {'CPU ms/req':>11}")
    for result in results:
        print(f"{result.name:<10} {result.per_second:8.1f} {result.percentile(0.5) * 1000:8.0f} "
              f"{result.percentile(0.99) * 1000:8.0f} {result.errors:7d} {result.first_request * 1000:9.0f} "
              f"{result.cpu_ms_per_request:11.2f}")
    baseline, ours = results
    print(f"wxops stored {distinct} distinct messages: lost {lost}, duplicated {duplicated}")
    print(f"ratio wxops / baseline: {ours.per_second / baseline.per_second:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1500, help="distinct messages (plus 10%% resends)")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10, help="turns: each server gets a slice of the load per turn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server")
    parser.add_argument("--threads", type=int, default=0,
                        help="threads per worker of both servers (default: as `wxops up`, WXOPS_WEB_THREADS; "
                             "1 = sync workers)")
    options = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="wxops-callback-load-"))
    environment = {**os.environ, "WXOPS_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "wxops.site.settings",
                   "WXOPS_SECRET_KEY": os.environ.get("WXOPS_SECRET_KEY") or secrets.token_urlsafe(40),
                   # The messages are signed before the run; a slow machine must not push the last ones out of
                   # the ±300 s window. The window's own cost (one comparison) is still paid.
                   "WXOPS_CALLBACK_TIMESTAMP_WINDOW": "3600"}
    os.environ.update(environment)
    import django

    django.setup()
    from django.core.management import call_command

    from wxops.interaction.models import InboundMessage

    call_command("migrate", "--noinput", verbosity=0)
    account, token, aes_key = make_account()
    path = f"/wechat/callback/{account.app_id}/"
    warmup = make_requests(1, 0, token, aes_key, account.app_id, path, seed=1)[0]
    requests = make_requests(options.messages, 0.10, token, aes_key, account.app_id, path)
    from wxops.site import environment as env
    from wxops.site.management.commands.up import worker_options

    workers = ["--workers", str(options.workers),
               *worker_options(options.threads or env.integer("WXOPS_WEB_THREADS", 1, 64))]
    try:
        baseline_env = {**environment, "BASELINE_TOKEN": token, "BASELINE_AES_KEY": aes_key,
                        "BASELINE_APP_ID": account.app_id}
        servers = [serve(["--chdir", str(HERE), "callback_baseline:app", *workers], baseline_env,
                         data_dir / "baseline-access.log"),
                   serve(["wxops.site.wsgi:application", *workers], environment, data_dir / "wxops-access.log")]
        try:
            firsts = [first_request(port, warmup) for _process, port in servers]
            # In turns, a slice each: a machine whose load changes during the run weighs on both alike.
            size = -(-len(requests) // options.rounds)
            turns: list[list[Result]] = [[], []]
            for start in range(0, len(requests), size):
                for (_process, port), name, done in zip(servers, NAMES, turns, strict=True):
                    done.append(load(name, port, requests[start:start + size], options.concurrency, 0.0))
        finally:
            for process, _port in servers:
                process.terminate()
                process.wait()
        results = [Result(name, sum(r.seconds for r in done), [x for r in done for x in r.latencies],
                          sum(r.errors for r in done), first, sum(r.busy_cpu for r in done))
                   for name, done, first in zip(NAMES, turns, firsts, strict=True)]
        sent = {request.msg_id for request in requests}
        stored = list(InboundMessage.objects.filter(account=account).exclude(msg_id=str(warmup.msg_id))
                      .values_list("msg_id", flat=True))
        distinct = len(set(stored))
        lost = len(sent - {int(msg_id) for msg_id in stored})
        report(results, lost, len(stored) - distinct, distinct)
    finally:
        account.delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
