"""The workbench's URLs, with the course page in front."""
from django.shortcuts import redirect
from django.urls import include, path, re_path

from . import views

urlpatterns = [
    path("course/", views.course, name="blma_course"),
    re_path(r"^$", lambda request: redirect("/course/?" + request.GET.urlencode()), name="blma_home"),
    path("", include("workbench.urls")),
]
