"""The one template loader, and the fragment every block view returns.

Templates are compiled once per process. `{% trans %}` reads the block's catalogue through a
Django translation made once per language and catalogue, with the block's catalogue merged in,
and active only while the template renders. (XBlock's own template helper merged the catalogue
into Django's translation at every translated string, and each merge with a different plural
rule prepended another copy: 5 catalogues grew to 504 over a 500-row tutor table.)
"""
from contextlib import contextmanager
from functools import lru_cache

from django.template import Context, Engine, Template
from django.utils import translation
from django.utils.translation import trans_real
from web_fragments.fragment import Fragment
from xblock.utils.resources import ResourceLoader

from .i18n import current_language

loader = ResourceLoader(__name__)
ENGINE = Engine(libraries={"i18n": "django.templatetags.i18n"})
_merged = {}


@lru_cache(maxsize=64)
def compiled(template):
    return Template(loader.load_unicode(f"templates/{template}"), engine=ENGINE)


def merged_translation(i18n_service):
    """Django's translation for the current language with the service's catalogue merged in, made once."""
    language = translation.get_language() or "en"
    catalog = getattr(i18n_service, "_catalog", None)
    key = (language, id(catalog))
    found = _merged.get(key)
    if found is None:
        found = trans_real.DjangoTranslation(language)
        if catalog:
            found.merge(i18n_service)
        _merged[key] = found
    return found


@contextmanager
def block_catalogue(i18n_service):
    """Make the merged translation the active one for this thread, for the time of a render."""
    active = trans_real._active  # pylint: disable=protected-access
    previous = getattr(active, "value", None)
    active.value = merged_translation(i18n_service)
    try:
        yield
    finally:
        if previous is None:
            del active.value
        else:
            active.value = previous


def render(template, context, i18n_service):
    """A package template (Django syntax), with {% trans %} from the block's catalogue."""
    with block_catalogue(i18n_service):
        return compiled(template).render(Context(dict(context), autoescape=True))


def fragment(block, template, context, js=None, init=None, init_args=None, vendor=()):
    """A block's view: its template, the shared CSS, vendored assets, its script and the JS catalogue."""
    i18n_service = block.runtime.service(block, "i18n")
    frag = Fragment(render(template, context, i18n_service))
    frag.add_css_url(block.runtime.local_resource_url(block, "static/css/blma.css"))
    for path in vendor:  # shipped under static/vendor/ (a maintained library, never a CDN)
        url = block.runtime.local_resource_url(block, path)
        if path.endswith(".css"):
            frag.add_css_url(url)
        else:
            frag.add_javascript_url(url)
    if js:
        url = None
        getter = getattr(i18n_service, "get_javascript_i18n_catalog_url", None)
        if getter is not None:
            url = getter(block)
        if not url and current_language() != "en":
            # The LMS serves the catalogue (openedx-atlas) when it has one; else ship ours.
            url = block.runtime.local_resource_url(block, f"static/js/translations/{current_language()}/text.js")
        if url:
            frag.add_javascript_url(url)
        frag.add_javascript_url(block.runtime.local_resource_url(block, "static/js/common.js"))
        frag.add_javascript_url(block.runtime.local_resource_url(block, f"static/js/{js}"))
    if init:
        frag.initialize_js(init, init_args or {})
    return frag
