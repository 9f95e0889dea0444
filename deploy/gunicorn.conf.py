"""gunicorn in production: `gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi`.

Sync workers, on purpose. They are gunicorn's weak spot only when clients reach them directly:
a sync worker that reads a slow client's headers or upload is lost to everyone for as long as
the client takes (issue #14: three slowloris sockets held every worker). Behind nginx, which
reads each request whole before it passes it on and takes each answer whole before it sends it
back (deploy/nginx/newsroom.conf), a worker is busy only while Django works, and Django's work
here is CPU (templates) and PostgreSQL, which the other worker classes do not make faster:

- gthread would run several requests per process under one GIL and need one database connection
  per thread; more connections for no more CPU.
- gevent would monkey-patch the process so that psycopg, Redis and Pillow calls yield; a page
  render is CPU-bound and a blocking C call (Pillow, a compiled regex) still stops every request
  of that worker. It pays off for many slow upstream calls, which the app does not make.

One process per request also gives each request its own memory and crash boundary, and
`timeout` kills exactly the one that hangs. Size: (2 × CPUs) + 1 workers, each one database
connection (docs/production.md has the arithmetic for max_connections).
"""

import multiprocessing
import os

# The front proxies to this address; docker-compose.yml binds 0.0.0.0:8000 inside its network.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))

# A request that runs longer is killed with its worker; STATEMENT_TIMEOUT_MS (25 s) stops its
# query first, so nothing is left running in PostgreSQL. On SIGTERM (a deploy, `docker stop`)
# workers finish the requests they have for up to graceful_timeout before they are killed.
timeout = 30
graceful_timeout = 20

# The app is imported once, in the master, and each worker is a fork of it: a new worker starts
# in milliseconds instead of importing Django and every app again (half a second of CPU each),
# and the workers share the master's pages of code. Nothing at import opens a database or Redis
# connection or starts a thread (each worker opens its own on its first request). A deploy
# restarts the master: `kill -HUP` alone would fork the old code again.
preload_app = True

# A new worker after 20 000–25 000 requests: memory that a worker gathers (fragmentation, a
# library's cache) is given back. Not much sooner: at a busy hour a worker serves a hundred
# requests a second, and replacing all of them every nine seconds took a third of the app's CPU
# (the mix in docs/performance.md). The wide jitter keeps the workers, which share the load
# evenly, from reaching their limit at the same moment.
max_requests = 20000
max_requests_jitter = 5000

# Only the front may say which scheme the reader used (X-Forwarded-Proto) and who they are.
# In docker-compose the front is another container, and the app's port is not published.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The workers' heartbeat files in memory: on a container's overlay disk a slow write could make
# the master think a healthy worker hangs.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Each request is logged by the app (one structured line); gunicorn logs its own events.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "newsroom"
