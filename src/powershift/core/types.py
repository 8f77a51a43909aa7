from django.http import HttpRequest

from powershift.core.models import User


class AuthedRequest(HttpRequest):
    """A request behind @login_required: the user is a signed-in User."""

    user: User  # type: ignore[assignment]
