"""What a 12-megapixel photo costs: `python -m bench.photos --database-url newsroom_bench_photos`.

Three measurements (issue #12), each printed and saved as JSON beside the other bench results:

1. upload → renditions: a 4000×3000 JPEG and the same picture as HEIC go through
   `check_upload` + `add_image` (timed in this process), then the worker makes their renditions
   (timed by the task's own start and finish, as `db_worker` records them);
2. the worker's memory: each photo's task runs in a `manage.py db_worker --batch` process of its
   own, which reports its peak resident memory (the kernel's high-water mark, VmHWM) as it
   exits, beside that of a worker that ran nothing;
3. what a phone downloads for an article page with that cover: headless Chromium (Playwright,
   390×844 CSS pixels at DPR 3) opens the page through nginx with the repository's front config
   in front of gunicorn (gzip as in production) and sums the transfer sizes the browser's
   resource timing reports for the HTML, CSS and images it requested.

The source is a real photograph: by default KDE Plasma's "EveningGlow" wallpaper (2560×1600,
Debian's `plasma-workspace-wallpapers`, fetched with `apt-get download` on first use), its
centre cropped to 4:3 and upscaled to 4000×3000; `--photo` takes any other. The database is
created, migrated and filled with the demo network (`seed_demo`) on first use; every run adds
two photos and makes one article's cover the JPEG one. Not a test: nothing here asserts a time.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, WORK_DIR, bench_environment, database_url, ensure_database

PHOTO_DIR = WORK_DIR / "photos"
NGINX_CONF_PATH = ROOT / "deploy" / "nginx" / "newsroom.conf"
PACKAGE = "plasma-workspace-wallpapers"
WALLPAPER = "usr/share/wallpapers/EveningGlow/contents/images/2560x1600.jpg"
SIZE = (4000, 3000)
PHONE_WIDTH, PHONE_HEIGHT, PHONE_DPR = 390, 844, 3
# Debian's Chromium, as the browser tests find it: Playwright never downloads a browser.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def environment(url: str) -> dict[str, str]:
    """The production settings on the bench database, with media and static files of our own
    (other bench scripts use the work directory's media/ and static/)."""
    return bench_environment(url) | {
        "MEDIA_ROOT": str(PHOTO_DIR / "media"),
        "STATIC_ROOT": str(PHOTO_DIR / "static"),
        "MEDIA_STORAGE": "filesystem",
    }


def setup(url: str) -> None:
    os.environ.update(environment(url))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# The source photos ------------------------------------------------------------------------------


def wallpaper() -> Path:
    """The real photograph the 12 MP files are made from, unpacked from its Debian package."""
    unpacked = PHOTO_DIR / "source"
    path = unpacked / WALLPAPER
    if not path.exists():
        unpacked.mkdir(parents=True, exist_ok=True)
        subprocess.run(["apt-get", "download", PACKAGE], cwd=unpacked, check=True)
        (deb,) = unpacked.glob(f"{PACKAGE}_*.deb")
        subprocess.run(["dpkg", "-x", str(deb), str(unpacked)], check=True)
    return path


def twelve_megapixels(source: Path) -> dict[str, Path]:
    """The photo's centre at 4:3, resized to 4000×3000, as a camera's JPEG (quality 92), a
    phone's HEIC (pillow-heif, quality 80) and a PNG (the path without JPEG's reduced decoding);
    made once and kept."""
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    files = {
        "JPEG": PHOTO_DIR / "12mp.jpg",
        "HEIC": PHOTO_DIR / "12mp.heic",
        "PNG": PHOTO_DIR / "12mp.png",
    }
    if all(path.exists() for path in files.values()):
        return files
    with Image.open(source) as opened:
        picture = opened.convert("RGB")
    width, height = picture.size
    crop_w = min(width, height * 4 // 3)
    crop_h = crop_w * 3 // 4
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    picture = picture.resize(
        SIZE, Image.Resampling.LANCZOS, box=(left, top, left + crop_w, top + crop_h)
    )
    picture.save(files["JPEG"], "JPEG", quality=92)
    picture.save(files["HEIC"], "HEIF", quality=80)
    picture.save(files["PNG"], "PNG")
    return files


# 1 and 2: upload, then the worker ---------------------------------------------------------------


def upload(path: Path, label: str) -> tuple[Any, dict[str, float]]:
    """Check and store the file as an editor's upload does; returns the photo and the times."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from photos.services import add_image
    from photos.uploads import check_upload

    data = path.read_bytes()
    started, started_cpu = time.perf_counter(), time.process_time()
    checked = check_upload(SimpleUploadedFile(path.name, data))
    checked_at, checked_cpu = time.perf_counter(), time.process_time()
    image = add_image(photo=checked, title=f"Bench: 12 MP {label}", alt="Лодки на берегу озера")
    return image, {
        "source_bytes": len(data),
        "stored_bytes": image.bytes,
        "check_upload_s": checked_at - started,
        "check_upload_cpu_s": checked_cpu - started_cpu,
        "add_image_s": time.perf_counter() - checked_at,
    }


# `manage.py db_worker --batch`, reporting its own peak resident memory as it exits. The kernel's
# high-water mark of the process (VmHWM) starts afresh at exec; the rusage that `wait4` returns
# does not: it keeps the parent's peak from the fork, here the bench process's own.
WORKER = """
import sys
from django.core.management import execute_from_command_line
try:
    execute_from_command_line(
        ["manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0"]
    )
finally:
    import resource
    with open("/proc/self/status") as status:
        print(next(line for line in status if line.startswith("VmHWM:")).split()[1])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(usage.ru_utime + usage.ru_stime)
"""


def run_worker(url: str) -> dict[str, float]:
    """One worker process over what is queued: its wall time, CPU time and peak resident
    memory."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env=environment(url),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    peak_kb, cpu = done.stdout.split()[-2:]
    return {
        "wall_s": time.perf_counter() - started,
        "cpu_s": float(cpu),
        "peak_rss_mb": int(peak_kb) / 1024,
    }


def render(url: str, image: Any, idle: dict[str, float]) -> dict[str, Any]:
    """The photo's queued task, alone in a worker process: times, memory, what it made. Its CPU
    time is the worker's beyond that of a worker that ran nothing (`idle`)."""
    from django_tasks_db.models import DBTaskResult

    worker = run_worker(url)
    task = DBTaskResult.objects.filter(args_kwargs__args=[image.pk]).latest("enqueued_at")
    if task.status != "SUCCESSFUL" or task.started_at is None or task.finished_at is None:
        raise SystemExit(f"The task for photo {image.pk} ended {task.status}")
    renditions = list(image.renditions.all())
    return {
        "make_renditions_s": (task.finished_at - task.started_at).total_seconds(),
        "make_renditions_cpu_s": worker["cpu_s"] - idle["cpu_s"],
        "worker_wall_s": worker["wall_s"],
        "worker_peak_rss_mb": worker["peak_rss_mb"],
        "renditions": len(renditions),
        "renditions_bytes": sum(r.bytes for r in renditions),
    }


# 3: the phone -----------------------------------------------------------------------------------


def cover_article(image: Any) -> str:
    """Make the photo the cover of the default site's newest ordinary article; its address."""
    from articles.models import AgeMark, Article
    from editorial.services import save_article
    from network.models import Site

    site = Site.objects.get(is_default=True)
    article = (
        Article.objects.published_on(site)
        .filter(site=site)
        .exclude(age_mark=AgeMark.EIGHTEEN)
        .order_by("-published_at")
        .first()
    )
    if article is None:
        raise SystemExit("No published article on the default site: is it a bench database?")
    article.cover = image
    save_article(article=article, user=None)
    return article.get_absolute_url()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Servers:
    """gunicorn with the production settings, and nginx with deploy/nginx/newsroom.conf in front
    of it (serving media/ from our folder), on free ports of their own."""

    def __init__(self, url: str):
        self.url = url
        self.app_port, self.front_port = free_port(), free_port()
        self.dir = PHOTO_DIR / "nginx"

    def front_config(self) -> str:
        text = NGINX_CONF_PATH.read_text()
        for old, new in [
            ("server web:8000;", f"server 127.0.0.1:{self.app_port};"),
            ("listen 80;", f"listen 127.0.0.1:{self.front_port};"),
            ("/var/cache/nginx/newsroom", str(self.dir / "cache")),
            ("/app/media/", f"{PHOTO_DIR / 'media'}/"),
        ]:
            if text.count(old) != 1:
                raise SystemExit(f"{NGINX_CONF_PATH} no longer has exactly one {old!r}")
            text = text.replace(old, new)
        return text

    def __enter__(self) -> "Servers":
        shutil.rmtree(self.dir / "cache", ignore_errors=True)  # the front's page cache: cold
        self.app = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "newsroom.wsgi",
                "--bind", f"127.0.0.1:{self.app_port}", "--workers", "2",
                "--log-level", "warning",
            ],
            cwd=ROOT,
            env=environment(self.url),
        )  # fmt: skip
        for name in ("temp", "cache"):
            (self.dir / name).mkdir(parents=True, exist_ok=True)
        (self.dir / "newsroom.conf").write_text(self.front_config())
        temp = self.dir / "temp"
        (self.dir / "nginx.conf").write_text(
            f"""worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.dir}/newsroom.conf;
}}
"""
        )
        config = ["-p", str(self.dir), "-c", str(self.dir / "nginx.conf")]
        subprocess.run(["nginx", "-t", "-q", *config], check=True)
        self.front = subprocess.Popen(["nginx", *config, "-g", "daemon off;"])
        wait_for(f"http://127.0.0.1:{self.app_port}/healthz")
        wait_for(f"http://127.0.0.1:{self.front_port}/healthz")
        return self

    def __exit__(self, *exc: object) -> None:
        self.front.terminate()
        self.app.terminate()
        self.front.wait(timeout=30)
        self.app.wait(timeout=30)


# What the page's resource timing says: the document, then every resource the browser fetched,
# with the transfer size (headers and encoded body) and whether an <img> of it is in the first
# screen.
RESOURCES_JS = """() => {
    const shown = new Set([...document.images]
        .filter(img => img.currentSrc && img.getBoundingClientRect().top < innerHeight)
        .map(img => img.currentSrc));
    const entry = e => ({
        url: e.name, type: e.initiatorType, transfer: e.transferSize,
        body: e.encodedBodySize, decoded: e.decodedBodySize, above_fold: shown.has(e.name),
    });
    return [
        ...performance.getEntriesByType("navigation").map(entry),
        ...performance.getEntriesByType("resource").map(entry),
    ];
}"""


def phone_bytes(base: str, path: str) -> dict[str, Any]:
    """Open the page as a phone does, once, with an empty cache; what it downloaded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
            device_scale_factor=PHONE_DPR,
            is_mobile=True,
            has_touch=True,
        )
        page = context.new_page()
        page.goto(base + path, wait_until="networkidle")
        entries = page.evaluate(RESOURCES_JS)
        chosen = page.evaluate(
            "() => [...document.querySelectorAll('picture img')]"
            ".map(img => ({src: img.currentSrc, shown: img.getBoundingClientRect().width}))"
        )
        browser.close()
    for entry in entries:
        entry["url"] = entry["url"].removeprefix(base)
    total = sum(e["transfer"] for e in entries)
    by_type: dict[str, int] = {}
    for entry in entries:
        by_type[entry["type"]] = by_type.get(entry["type"], 0) + entry["transfer"]
    return {"entries": entries, "total": total, "by_type": by_type, "pictures": chosen}


# Report -----------------------------------------------------------------------------------------


def kb(size: float) -> str:
    return f"{size / 1024:,.1f} KB".replace(",", " ")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="newsroom_bench_photos", help="name or postgres:// URL"
    )
    parser.add_argument("--photo", type=Path, help="a real photograph (default: a KDE wallpaper)")
    parser.add_argument("--skip-browser", action="store_true", help="no phone measurement")
    args = parser.parse_args(argv)

    url = database_url(args.database_url)
    ensure_database(url)
    PHOTO_DIR.mkdir(parents=True, exist_ok=True)
    setup(url)
    from django.core.management import call_command

    from articles.models import Article

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Article.objects.exists():
        call_command("seed_demo", verbosity=0)

    sources = twelve_megapixels(args.photo or wallpaper())
    results: dict[str, Any] = {"load_average": os.getloadavg(), "photos": {}}
    idle = run_worker(url)  # nothing queued: Django and the worker alone
    print(
        f"db_worker with nothing to do: peak RSS {idle['peak_rss_mb']:.0f} MB, "
        f"CPU {idle['cpu_s']:.2f} s"
    )
    results["idle_worker_peak_rss_mb"] = idle["peak_rss_mb"]
    images = {}
    for label, path in sources.items():
        image, timings = upload(path, label)
        timings |= render(url, image, idle)
        images[label] = image
        results["photos"][label] = timings
        print(
            f"{label}: {kb(timings['source_bytes'])} → stored {kb(timings['stored_bytes'])}; "
            f"check_upload {timings['check_upload_s']:.2f} s "
            f"(CPU {timings['check_upload_cpu_s']:.2f} s), "
            f"add_image {timings['add_image_s']:.2f} s; "
            f"make_renditions {timings['make_renditions_s']:.2f} s "
            f"(CPU {timings['make_renditions_cpu_s']:.2f} s) "
            f"({timings['renditions']} files, {kb(timings['renditions_bytes'])}); worker peak RSS "
            f"{timings['worker_peak_rss_mb']:.0f} MB"
        )

    if not args.skip_browser:
        address = cover_article(images["JPEG"])
        with Servers(url) as servers:
            phone = phone_bytes(f"http://127.0.0.1:{servers.front_port}", address)
        results["phone"] = phone
        print(f"Phone (390×844, DPR 3) opening {address}: {kb(phone['total'])} transferred")
        for entry in phone["entries"]:
            fold = " (first screen)" if entry["above_fold"] else ""
            print(f"  {kb(entry['transfer']):>11}  {entry['type']:<10} {entry['url']}{fold}")
        for picture in phone["pictures"]:
            print(f"  <picture> chose {picture['src']} for {picture['shown']:.0f} CSS px")

    results["load_average_after"] = os.getloadavg()
    print(
        "Load average before and after: "
        + ", ".join(f"{x:.1f}" for x in results["load_average"])
        + " / "
        + ", ".join(f"{x:.1f}" for x in results["load_average_after"])
    )
    out = WORK_DIR / "results" / f"photos-{url.rpartition('/')[2]}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(f"Saved {out}")


if __name__ == "__main__":
    main()
