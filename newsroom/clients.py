"""The address a request came from, as the front proxies this installation trusts report it.

Behind nginx, REMOTE_ADDR is nginx's own address, and every reader would share it. nginx appends
the address it was connected from to X-Forwarded-For (`$proxy_add_x_forwarded_for`); whatever
the client itself sent there comes before it and proves nothing. With TRUSTED_PROXY_COUNT proxies
in front of the app (1 for our nginx; 2 with a CDN or load balancer before it), the client is
that many entries from the right. With 0 (the app reached directly, as in development), the
header is ignored: anyone could write any address into it.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Not through all the proxies (a health check on the app's own port).
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # More proxies configured than there are: the entry is the client's own invention.
        return remote
