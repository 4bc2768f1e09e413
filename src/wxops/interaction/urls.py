"""Public URLs of the interaction app, included by ``wxops.site.urls`` under ``/wechat/``."""

from django.urls import path, re_path

from . import views

app_name = "interaction"

urlpatterns = [
    path("callback/<str:app_id>/", views.callback, name="callback"),
    # The URL pasted into WeChat's console may lack the slash, and a redirect would turn
    # WeChat's POST into a GET: answer there too.
    re_path(r"^callback/(?P<app_id>[^/]+)$", views.callback),
]
