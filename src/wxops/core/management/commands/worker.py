from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the background worker: queued tasks and the periodic scheduler (huey consumer).\n"
        "Example: wxops worker --workers 2"
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2, help="worker threads (default 2)")
        parser.add_argument("--no-scheduler", action="store_true",
                            help="do not enqueue periodic jobs (run the scheduler in one worker only)")

    def handle(self, *args, workers: int, no_scheduler: bool, **options):
        call_command("run_huey", workers=workers, worker_type="thread", periodic=not no_scheduler)
