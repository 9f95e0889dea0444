"""Login protection with django-axes: after LOGIN_FAILURE_LIMIT wrong passwords for one
username from one address, that username is refused from that address for
LOGIN_COOLOFF_MINUTES. Other users, and the same user elsewhere, log in as usual; a successful
login clears the count. The address is `newsroom.clients.client_address`, behind the proxies.
"""

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from newsroom.russian import plural_form


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check before the password is: a locked out username gets no further.

    A login without a request (the test client's `login()`, a shell) has no address to lock
    out; it goes on to the password check, where axes' own backend would refuse it. Every
    login a visitor can make (the admin's login page) comes with its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def cool_off_text(request: HttpRequest | None = None) -> str:
    """«15 минут», «1 минуту», «2 минуты»: the time after «через»."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    return f"{minutes}\N{NO-BREAK SPACE}{plural_form(minutes, 'минуту', 'минуты', 'минут')}"


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The admin's login page again, saying in Russian why the login was refused and when to
    try again, with 429 Too Many Requests (axes' own answer is a line of English)."""
    context = {
        **admin.site.each_context(request),
        "title": "Вход закрыт",
        "app_path": request.get_full_path(),
        "form": AdminAuthenticationForm(request),
        "cool_off": cool_off_text(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    # Rendered here: axes returns it from the middleware, past where a TemplateResponse renders.
    response: HttpResponse = render(request, "admin/login_locked_out.html", context, status=429)
    cool_off = get_cool_off(request)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
