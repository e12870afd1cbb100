"""The workbench's URLs: the course page and only the xblock-sdk routes the course uses.

xblock-sdk's own URL set also mounts `/reset_state` (an anonymous GET without CSRF that reverts
every Studio edit), scenario pages, a user list and the admin: none of them is mounted here.
"""
from django.contrib.staticfiles.views import serve as serve_static
from django.shortcuts import redirect
from django.urls import path, re_path
from workbench import views as sdk

from . import views

urlpatterns = [
    path("course/", views.course, name="blma_course"),
    re_path(r"^$", lambda request: redirect("/course/?" + request.GET.urlencode()), name="blma_home"),
    re_path(r"^handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$", views.handler,
            name="handler"),
    re_path(r"^resource/(?P<block_type>[^/]+)/(?P<resource>.*)$", sdk.package_resource, name="package_resource"),
    # the workbench runtime's own JavaScript (handler URLs in the page), served with DEBUG off too
    re_path(r"^static/(?P<path>.*)$", serve_static, {"insecure": True}),
]

handler404 = "blma_xblocks.workbench.views.not_found"
handler500 = "blma_xblocks.workbench.views.server_error"
