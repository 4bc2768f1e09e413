"""The desk's own date formats where Django's differ from the desk's one date style
(``FORMAT_MODULE_PATH``; what is not named here stays Django's)."""
