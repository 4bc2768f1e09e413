"""Start-up checks: fail fast, in one line, on missing or contradictory settings."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.compatibility, deploy=False)
def check_settings(app_configs, **kwargs):
    problems = []
    if not settings.SECRET_KEY:
        problems.append(Error("No secret key.", hint="Set WXOPS_SECRET_KEY.", id="wxops.E001"))
    if not settings.WECHAT_API_BASE.startswith(("http://", "https://")):
        problems.append(Error(f"WECHAT_API_BASE={settings.WECHAT_API_BASE!r} is not an http(s) URL.",
                              hint="Use http://127.0.0.1:9100 (simulator) or https://api.weixin.qq.com.",
                              id="wxops.E002"))
    if not settings.WXOPS_BASE_URL.startswith(("http://", "https://")):
        problems.append(Error(f"WXOPS_BASE_URL={settings.WXOPS_BASE_URL!r} is not an http(s) URL.",
                              hint="Use the public address of this site, e.g. https://wx.example.com",
                              id="wxops.E003"))
    if settings.LANGUAGE_CODE not in dict(settings.LANGUAGES):
        problems.append(Error(f"WXOPS_LANGUAGE={settings.LANGUAGE_CODE!r} is not offered.",
                              hint="Use zh-hans or en.", id="wxops.E004"))
    from zoneinfo import available_timezones

    if settings.TIME_ZONE not in available_timezones():
        problems.append(Error(f"WXOPS_TIME_ZONE={settings.TIME_ZONE!r} is not a time zone.",
                              hint="Use a name like Asia/Shanghai.", id="wxops.E005"))
    if settings.TASKS_IMMEDIATE and not settings.DEBUG and settings.REDIS_URL:
        problems.append(Error("WXOPS_TASKS_IMMEDIATE=true contradicts REDIS_URL: tasks would never reach the "
                              "workers.", hint="Unset one of the two.", id="wxops.E006"))
    if settings.DEBUG and "api.weixin.qq.com" in settings.WECHAT_API_BASE:
        problems.append(Warning("WXOPS_DEBUG is on while talking to real WeChat.",
                                hint="Turn WXOPS_DEBUG off in production.", id="wxops.W001"))
    return problems
