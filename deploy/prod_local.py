"""The production front and app on this machine, without Docker: `make prod-local`.

Debian's nginx with deploy/nginx/newsroom.conf in front of gunicorn with deploy/gunicorn.conf.py
and the production settings, against DATABASE_URL and CACHE_URL from the environment. nginx runs
as a private instance (its own prefix, pid file, cache and temporary files under the run
directory), not as the system's service, so it needs no root and touches nothing else. The
tests (tests/test_front.py) and bench/run.py start the same pieces through `ProdLocal` and
`front_config`.
"""

import argparse
import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx" / "newsroom.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
DEFAULT_RUN_DIR = ROOT / ".devdata" / "prod-local"
BOOT_SECONDS = 60


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def front_config(
    *, app: str, listen: str, limiter_port: int, cache_dir: Path, media_dir: Path
) -> str:
    """deploy/nginx/newsroom.conf with this machine's addresses and paths in place of Docker's.

    Each replaced text must occur exactly once, so a change to the file that this would silently
    miss fails loudly instead.
    """
    text = NGINX_CONF.read_text()
    for old, new in [
        ("server web:8000;", f"server {app};"),
        ("listen 80;", f"listen {listen};"),
        ("server 127.0.0.1:8081;", f"server 127.0.0.1:{limiter_port};"),
        ("listen 127.0.0.1:8081;", f"listen 127.0.0.1:{limiter_port};"),
        ("/var/cache/nginx/newsroom", str(cache_dir)),
        ("/app/media/", f"{media_dir}/"),
    ]:
        if text.count(old) != 1:
            raise RuntimeError(f"{NGINX_CONF} no longer has exactly one {old!r}")
        text = text.replace(old, new)
    return text


def nginx_main_config(
    run_dir: Path, *, include: Path, extra: str = "", access_log: bool = True
) -> str:
    """The `nginx.conf` of a private instance: everything nginx writes stays in `run_dir`."""
    temp = run_dir / "temp"
    log = f"{run_dir}/access.log" if access_log else "off"
    return f"""worker_processes auto;
pid {run_dir}/nginx.pid;
error_log {run_dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {log};
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {include};
{extra}}}
"""


class Nginx:
    """A private nginx: `nginx.conf` written by the caller into `run_dir`, run in the foreground."""

    def __init__(self, run_dir: Path):
        self.run_dir = run_dir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, main_config: str) -> None:
        (self.run_dir / "temp").mkdir(parents=True, exist_ok=True)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(main_config)
        # -e: the log nginx writes before it has read the configuration (not /var/log/nginx).
        args = ["-p", str(self.run_dir), "-e", str(self.run_dir / "error.log"), "-c", str(conf)]
        subprocess.run([nginx_binary(), "-t", "-q", *args], check=True)
        self.process = start([nginx_binary(), *args, "-g", "daemon off;"])

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, signal.SIGQUIT, wait=10)
            self.process = None


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the process that started it dies, even when that one is
    killed outright (a test run stopped by a timeout), so no nginx or gunicorn outlives it."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start(command: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """A child in a session of its own (Ctrl+C reaches only us, and we stop it in order) that
    does not outlive us."""
    return subprocess.Popen(command, start_new_session=True, preexec_fn=_die_with_parent, **kwargs)


def stop_process(process: subprocess.Popen[bytes], first: signal.Signals, *, wait: float) -> None:
    """Ask a process to stop, and kill it (with what it started) if it does not in time."""
    if process.poll() is None:
        process.send_signal(first)
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path | None = None) -> None:
    deadline = time.monotonic() + BOOT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
            raise RuntimeError(f"{process.args!r} exited before {url} answered:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer 200 within {BOOT_SECONDS} s")


class ProdLocal:
    """nginx + gunicorn (+ the task worker) with the production settings; a context manager.

    `environment` is the app's environment (DATABASE_URL, CACHE_URL, …) except for
    DJANGO_SETTINGS_MODULE, which is always the production settings; what it leaves unset
    gets local defaults: a generated SECRET_KEY kept in the run directory, plain HTTP (no secure
    cookies, no SSL redirect, no HSTS: there is no TLS on 127.0.0.1), static files collected into
    the run directory.
    """

    # The front's access log of every request; a benchmark turns it off (see `front_text`).
    access_log = True

    def __init__(
        self,
        environment: dict[str, str],
        *,
        run_dir: Path = DEFAULT_RUN_DIR,
        port: int | None = None,
        host: str = "127.0.0.1",
        workers: int | None = None,
        task_worker: bool = True,
        migrate: bool = True,
    ):
        self.run_dir = run_dir
        self.host = host
        self.port = port or free_port()
        self.app_port = free_port()
        self.workers = workers
        self.task_worker = task_worker
        self.migrate = migrate
        self.environment = self._app_environment(environment)
        self.nginx = Nginx(run_dir / "nginx")
        self.processes: list[subprocess.Popen[bytes]] = []

    def front_text(self, config: str) -> str:
        """The front's configuration as nginx gets it; a benchmark overrides this to change what
        it must (bench/mix.py: its readers all come from one address)."""
        return config

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def app_url(self) -> str:
        """gunicorn itself, behind the front: for checks that must bypass nginx."""
        return f"http://127.0.0.1:{self.app_port}"

    def _app_environment(self, environment: dict[str, str]) -> dict[str, str]:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        secret_file = self.run_dir / "secret-key"
        if not secret_file.exists():
            secret_file.write_text(secrets.token_urlsafe(50))
            secret_file.chmod(0o600)
        defaults = {
            "SECRET_KEY": secret_file.read_text().strip(),
            "SECURE_COOKIES": "false",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            # The front (one nginx) appends the reader's address to X-Forwarded-For.
            "TRUSTED_PROXY_COUNT": "1",
            "STATIC_ROOT": str(self.run_dir / "static"),
            "MEDIA_ROOT": str(ROOT / "media"),
            "PYTHONUNBUFFERED": "1",
        }
        # Always the production settings, whatever the caller's environment says (under pytest
        # it names the test settings).
        return {**defaults, **environment, "DJANGO_SETTINGS_MODULE": "newsroom.settings.production"}

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.environment, check=True
        )

    def start(self) -> None:
        media = Path(self.environment["MEDIA_ROOT"])
        media.mkdir(parents=True, exist_ok=True)
        # nginx's workers run as an unprivileged user when it is started as root: they must be
        # able to enter the run directory and read the media.
        for path in (self.run_dir, media):
            path.chmod(path.stat().st_mode | 0o055)
        if self.migrate:
            self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        log = self.run_dir / "gunicorn.log"
        command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)]
        command += ["--bind", f"127.0.0.1:{self.app_port}"]
        if self.workers:
            command += ["--workers", str(self.workers)]
        with log.open("ab") as output:
            gunicorn = start(
                [*command, "newsroom.wsgi"],
                cwd=ROOT,
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            self.processes.append(gunicorn)
            if self.task_worker:
                self.processes.append(
                    start(
                        [sys.executable, "manage.py", "db_worker", "--no-reload"],
                        cwd=ROOT,
                        env=self.environment,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                    )
                )
        wait_until_up(f"{self.app_url}/healthz", gunicorn, log)
        nginx_dir = self.nginx.run_dir
        nginx_dir.mkdir(parents=True, exist_ok=True)
        nginx_dir.chmod(0o755)
        shutil.rmtree(nginx_dir / "cache", ignore_errors=True)  # every start is cold
        include = nginx_dir / "newsroom.conf"
        include.write_text(
            self.front_text(
                front_config(
                    app=f"127.0.0.1:{self.app_port}",
                    listen=f"{self.host}:{self.port}",
                    limiter_port=free_port(),
                    cache_dir=nginx_dir / "cache",
                    media_dir=media,
                )
            )
        )
        self.nginx.start(nginx_main_config(nginx_dir, include=include, access_log=self.access_log))
        assert self.nginx.process is not None
        wait_until_up(f"{self.url}/healthz", self.nginx.process, nginx_dir / "error.log")

    def stop(self) -> None:
        """nginx first (no new requests), then the app, whose workers finish what they have."""
        self.nginx.stop()
        for process in reversed(self.processes):
            stop_process(process, signal.SIGTERM, wait=25)
        self.processes.clear()

    def __enter__(self) -> "ProdLocal":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="the front's port (8080)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (WEB_CONCURRENCY)")
    parser.add_argument("--run-dir", type=Path, default=DEFAULT_RUN_DIR)
    args = parser.parse_args(argv)
    environment = dict(os.environ)
    if "DATABASE_URL" not in environment:
        # The same database as `make run`: the private PostgreSQL in .devdata/pgdata.
        sys.path.insert(0, str(ROOT))
        from newsroom.devdb import embedded_database_url

        environment["DATABASE_URL"] = embedded_database_url()
    if "CACHE_URL" not in environment:
        print("CACHE_URL is not set: each gunicorn worker keeps its own page cache in memory.")

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    front = ProdLocal(environment, run_dir=args.run_dir, port=args.port, workers=args.workers)
    with front:
        print(f"Newsroom (production settings) behind nginx: {front.url}  — Ctrl+C stops it.")
        print(f"Logs: {front.run_dir}/gunicorn.log, {front.nginx.run_dir}/error.log, access.log")
        while not stopping and all(p.poll() is None for p in front.processes):
            time.sleep(0.5)
    print("Stopped.")


if __name__ == "__main__":
    main()
