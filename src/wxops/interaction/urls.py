"""Public URLs of the interaction app, included by ``wxops.site.urls`` under ``/wechat/``."""

from django.urls import re_path

from . import views

app_name = "interaction"

# The trailing slash is optional: the URL pasted into WeChat's console may lack it, and a
# redirect would turn WeChat's POST into a GET.
urlpatterns = [
    re_path(r"^callback/(?P<app_id>[0-9A-Za-z_-]{1,64})/?$", views.callback, name="callback"),
]
