"""A Django Task the worker tests enqueue in one process and expect another to run."""

from pathlib import Path

from django_tasks import task


@task()
def write_marker(path: str, text: str) -> str:
    Path(path).write_text(text, encoding="utf-8")
    return text


@task()
def do_item_once(folder: str, key: str) -> str:
    """An idempotent piece of work, as every task must be: its effect (a file named ``key``) is made
    at most once however often the task runs; each run and each effect is logged in ``folder``."""
    import os
    import time

    base = Path(folder)
    with (base / "runs.log").open("a") as runs:
        runs.write(f"{key}\n")
    time.sleep(0.2)  # work that takes a while: a kill lands in the middle of some
    try:
        os.close(os.open(base / f"item-{key}", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return "already done"
    with (base / "effects.log").open("a") as effects:
        effects.write(f"{key}\n")
    return "done"
