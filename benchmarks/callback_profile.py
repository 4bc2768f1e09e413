"""One process's callback path, in-process: the WSGI application gunicorn serves, called directly.

    .venv/bin/python benchmarks/callback_profile.py [--messages 3000] [--profile 25]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wxops_bench .venv/bin/python benchmarks/callback_profile.py

The same requests as ``callback_load.py`` (encrypted safe-mode texts, 10 % exact resends), sent one
after the other through ``wxops.site.wsgi.application``; beside them, the bare baseline
(``callback_baseline.py``: verify and decrypt with wechatpy) in the same process. Prints wall and CPU
time per request of both, the SQL statements per request, and with ``--profile N`` cProfile's top N
functions (by cumulative time) of the wxops run. No network, no gunicorn: what one worker spends.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def environ_for(path_and_query: str, body: bytes) -> dict:
    path, _, query = path_and_query.partition("?")
    return {"REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "text/xml", "CONTENT_LENGTH": str(len(body)), "HTTP_HOST": "127.0.0.1:8000",
            "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
            "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False}


def run(app, requests) -> tuple[float, float, int]:
    """(wall s, CPU s, errors) for sending every request through ``app``."""
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    wall, cpu = time.perf_counter(), time.process_time()
    for request in requests:
        for _chunk in app(environ_for(request.path, request.body), start_response):
            pass
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, sum(1 for status in statuses if not status.startswith("200"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N functions")
    options = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="wxops-callback-profile-"))
    os.environ.update({"WXOPS_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "wxops.site.settings",
                       "WXOPS_SECRET_KEY": os.environ.get("WXOPS_SECRET_KEY") or secrets.token_urlsafe(40),
                       "WXOPS_CALLBACK_TIMESTAMP_WINDOW": "3600", "WXOPS_LOG_LEVEL": "WARNING"})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from callback_load import make_account, make_requests
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    account, token, aes_key = make_account()
    os.environ.update({"BASELINE_TOKEN": token, "BASELINE_AES_KEY": aes_key, "BASELINE_APP_ID": account.app_id})
    try:
        import callback_baseline

        from wxops.site.wsgi import application

        path = f"/wechat/callback/{account.app_id}/"
        requests = make_requests(options.messages, 0.10, token, aes_key, account.app_id, path)
        warm = make_requests(50, 0, token, aes_key, account.app_id, path, seed=3)
        run(application, warm)
        run(callback_baseline.app, warm)
        with CaptureQueriesContext(connection) as queries:
            run(application, warm[:1] + make_requests(1, 0, token, aes_key, account.app_id, path, seed=5))
        print(f"{connection.vendor}, {len(requests)} requests ({options.messages} distinct), one at a time")
        print("SQL of one new message (after one resend):")
        for query in queries.captured_queries[-4:]:
            print("   ", query["sql"][:150])
        print(f"{'':<10} {'wall ms/req':>12} {'CPU ms/req':>11} {'errors':>7}")
        half = len(requests) // 2
        results = {}
        for name, app in (("baseline", callback_baseline.app), ("wxops", application)):
            results[name] = run(app, requests[:half] if name == "baseline" else requests[:half])
        results["wxops"] = tuple(a + b for a, b in zip(results["wxops"], run(application, requests[half:]),
                                                       strict=True))
        results["baseline"] = tuple(a + b for a, b in zip(results["baseline"],
                                                          run(callback_baseline.app, requests[half:]), strict=True))
        for name, (wall, cpu, errors) in results.items():
            print(f"{name:<10} {wall / len(requests) * 1000:12.3f} {cpu / len(requests) * 1000:11.3f} {errors:7d}")
        print(f"CPU ratio baseline / wxops: {results['baseline'][1] / results['wxops'][1]:.2f}x, "
              f"wall: {results['baseline'][0] / results['wxops'][0]:.2f}x")
        if options.profile:
            again = make_requests(options.messages, 0.10, token, aes_key, account.app_id, path, seed=11)
            profiler = cProfile.Profile()
            profiler.enable()
            run(application, again)
            profiler.disable()
            stats = pstats.Stats(profiler)
            print(f"calls per request: {stats.total_calls / len(again):.0f}")
            stats.sort_stats("cumulative").print_stats(options.profile)
            stats.sort_stats("tottime").print_stats(options.profile)
    finally:
        account.delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
