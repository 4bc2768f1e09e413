from django.core.management.base import BaseCommand

from wxops.site.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo account: one 公众号, the plan's five categories, one user per role and the review "
        "workflow. Keeps what already exists.\nExample: wxops demo"
    )

    def handle(self, *args, **options):
        account, logins = load_demo()
        self.stdout.write(f"demo account: {account.name} ({account.app_id}), "
                          f"{account.categories.count()} categories")
        for login in logins:
            self.stdout.write(f"  {login.role:<8} {login.username:<10} {login.password}")
