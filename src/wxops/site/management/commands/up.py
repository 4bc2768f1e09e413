import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wxops.site import environment as env
from wxops.site.demo import read_logins
from wxops.site.supervisor import (
    Part,
    PortTaken,
    Supervisor,
    become_subreaper,
    ensure_port_free,
    wait_for_port,
    wxops_command,
)

#: gunicorn's access log without query strings (%(U)s, not %(r)s): a WeChat callback's query carries
#: its signature, timestamp and nonce, which must not be readable — and replayable — from a log.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss'
#: How `wxops up` runs gunicorn: --preload imports the whole site once, before the port opens and
#: the workers fork, so no request (a WeChat callback must answer within 5 s) waits for a worker to boot.
GUNICORN_OPTIONS = ("--preload", "--access-logformat", ACCESS_LOG_FORMAT)


def worker_options(threads: int) -> list[str]:
    """gunicorn's worker class for ``threads`` threads per web process (WXOPS_WEB_THREADS): a thread
    waiting on the database or on WeChat leaves the process to the others — a burst of callbacks
    then shares commits (``interaction.group_commit``) — and a slow admin request no longer holds a
    whole process. 1: gunicorn's sync workers, one request per process at a time."""
    if threads == 1:
        return ["--worker-class", "sync"]
    return ["--worker-class", "gthread", "--threads", str(threads)]


def control_socket(data_dir) -> list[str]:
    """gunicorn's control socket in the data folder, not ~/.gunicorn/ (shared by every gunicorn of
    the user, so two installations clash); off when the path is too long for a Unix socket."""
    path = os.path.join(str(data_dir), "gunicorn.ctl")
    return ["--control-socket", path] if len(path.encode()) < 100 else ["--no-control-socket"]


class Command(BaseCommand):
    help = (
        "Start the whole system: web site, background worker with its scheduler, and the local WeChat "
        "simulator. A part that dies is restarted; one that keeps dying stops everything with the reason. "
        "Ctrl-C stops everything.\nExample: PORT=8001 wxops up"
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-simulator", action="store_true",
                            help="talk to WECHAT_API_BASE instead of starting the local simulator")

    def handle(self, *args, no_simulator: bool, **options):
        try:
            port = env.integer("PORT", 1, 65535)
            simulator_port = env.integer("WXOPS_SIMULATOR_PORT", 1, 65535)
            web_workers = env.integer("WXOPS_WEB_WORKERS", 1, 64)
            web_threads = env.integer("WXOPS_WEB_THREADS", 1, 64)
            ensure_port_free(port, "PORT")
            if not no_simulator:
                ensure_port_free(simulator_port, "WXOPS_SIMULATOR_PORT")
        except (PortTaken, env.SettingError) as error:
            raise CommandError(str(error)) from None

        environment = dict(os.environ)
        # The simulator started here calls back to the port this command serves on.
        site_url = f"http://127.0.0.1:{port}"
        environment.setdefault("WXOPS_BASE_URL", site_url)
        parts = []
        if not no_simulator:
            environment["WECHAT_API_BASE"] = f"http://127.0.0.1:{simulator_port}"
            state = os.path.join(settings.DATA_DIR, "simulator.sqlite3")
            parts.append(Part("simulator", wxops_command("simulator", "--port", str(simulator_port),
                                                         "--state", state)))
        parts.append(Part("worker", wxops_command("worker")))
        parts.append(Part("web", [os.path.join(os.path.dirname(sys.executable), "gunicorn"),
                                  "wxops.site.wsgi:application", "--bind", f"127.0.0.1:{port}",
                                  "--workers", str(web_workers), *worker_options(web_threads),
                                  "--access-logfile", "-",
                                  *GUNICORN_OPTIONS,
                                  "--graceful-timeout", "5", *control_socket(settings.DATA_DIR)]))

        become_subreaper()
        supervisor = Supervisor(parts, environment, self.stdout.write)
        for part in parts:
            child = supervisor.start(part)
            self.stdout.write(f"wxops: {part.name} started (pid {child.pid}).")
            if part.name == "simulator":
                if not wait_for_port(simulator_port):
                    supervisor.stop()
                    raise CommandError("the WeChat simulator did not start; see its messages above.")
                self._connect_demo_accounts(environment["WECHAT_API_BASE"], site_url)
        if not wait_for_port(port):
            supervisor.stop()
            raise CommandError("the web site did not start; see its messages above.")
        self._banner(port, simulator_port, no_simulator)
        code = supervisor.watch()
        if code:
            sys.exit(code)

    def _connect_demo_accounts(self, base_url: str, site_url: str) -> None:
        from wxops.site.simulator_link import register_accounts

        for line in register_accounts(base_url, site_url):
            self.stdout.write(line)

    def _banner(self, port: int, simulator_port: int, no_simulator: bool) -> None:
        write = self.stdout.write
        write("")
        write("=" * 64)
        write(f"  wxops 运营平台  http://127.0.0.1:{port}/admin/")
        if not no_simulator:
            write(f"  WeChat simulator 微信模拟器  http://127.0.0.1:{simulator_port}/sim/accounts")
        logins = read_logins()
        if logins:
            write("  demo logins 演示账号 (demo only — never use these elsewhere):")
            for login in logins:
                write(f"    {login.role:<8} {login.username:<10} {login.password}")
        write(f"  {env.mail_summary(settings)}")
        write("  Ctrl-C stops everything. 按 Ctrl-C 停止。")
        write("=" * 64)
