from django.core.management.base import BaseCommand

from wxops.site.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo account: one 公众号, the plan's five categories, one user per role and the review "
        "workflow, and plan the push slots of the coming two weeks. Keeps what already exists.\nExample: wxops demo"
    )

    def handle(self, *args, **options):
        from wxops.editorial.actions.planning import plan_upcoming

        account, logins = load_demo()
        # The coming slots at once, not when the hourly planner first runs: the first dashboard
        # said 未来七天没有计划推送 under a Mon/Wed/Fri schedule.
        planned = plan_upcoming(account)
        self.stdout.write(f"demo account: {account.name} ({account.app_id}), "
                          f"{account.categories.count()} categories, {len(planned)} push slots in the coming two weeks")
        for login in logins:
            self.stdout.write(f"  {login.role:<8} {login.username:<10} {login.password}")
