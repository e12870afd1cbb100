"""The one template loader, and the fragment every block view returns."""
from web_fragments.fragment import Fragment
from xblock.utils.resources import ResourceLoader

from .i18n import current_language

loader = ResourceLoader(__name__)


def render(template, context, i18n_service):
    """A package template (Django syntax), with {% trans %} from the block's catalogue."""
    return loader.render_django_template(f"templates/{template}", dict(context), i18n_service=i18n_service)


def fragment(block, template, context, js=None, init=None, init_args=None):
    """A block's view: its template, the shared CSS, its script and the JS catalogue."""
    i18n_service = block.runtime.service(block, "i18n")
    frag = Fragment(render(template, context, i18n_service))
    frag.add_css_url(block.runtime.local_resource_url(block, "static/css/blma.css"))
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

