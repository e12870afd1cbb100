"""?lang=fr picks the language and a cookie remembers it (handlers then answer in it too)."""
from django.conf import settings
from django.utils import translation

from ..core.text import LANGUAGES


class LanguageMiddleware:
    """Activates the language asked with ?lang= (or remembered in the cookie) for the request."""
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked = (request.GET.get("lang") or "").lower()[:2]
        remembered = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = asked if asked in LANGUAGES else remembered if remembered in LANGUAGES else "en"
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if asked in LANGUAGES and asked != remembered:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600,
                                samesite="Lax")
        translation.deactivate()
        return response
