"""Walk the demo cases through the handling workflow (development databases only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tanggap.intake.demo import DEMO_PASSWORD, DemoConflict, can_backdate
from tanggap.responses import demo


class Command(BaseCommand):
    @property
    def help(self):
        # Translated when the parser is built: argparse needs a plain string.
        return _(
            "Show case handling in the demo: add a DPMPTSP and a Polres supervisor, SPKT's "
            "shift roster, reply settings and templates, then take the demo cases through "
            "verification, disposition, replies, approval, ratings, objections, rejection and "
            "archiving, and run the deadline sweep once. Run demo_data first. A second run "
            "changes nothing."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Load even though DEBUG is off (never on a production database)."),
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "DEBUG is off, so this may be a production database: demo data, with its "
                    "shared password, must never reach one. Use --force on a scratch database."
                )
            )
        if demo.handling_exists():
            self.stdout.write(_("The demo handling is already loaded; nothing was changed."))
            self._print_logins()
            return
        try:
            result = demo.handling_load()
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        swept = result.sweep.get("cases", 0)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Walked %(n)d demo cases through the workflow and ran the deadline sweep "
                    "once (it acted on %(swept)d case).",
                    "Walked %(n)d demo cases through the workflow and ran the deadline sweep "
                    "once (it acted on %(swept)d cases).",
                    swept,
                )
                % {"n": result.cases, "swept": swept}
            )
        )
        if not can_backdate():
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "time-machine is not installed (pip install -e '.[dev]'), so every "
                        "action is dated now: no reply window has passed and no case is overdue."
                    )
                )
            )
        for username in result.existing_users:
            self.stdout.write(
                self.style.WARNING(
                    _("User %(name)s already existed and was left unchanged.") % {"name": username}
                )
            )
        self._print_summary()
        self._print_logins()
        self._print_pages(result)

    def _print_summary(self):
        summary = demo.handling_summary()
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Demo cases by status")))
        for label, count in summary.statuses:
            self.stdout.write(f"  {label:<32} {count:>3}")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Potential maladministration flags")))
        for label, count in summary.flags:
            self.stdout.write(f"  {label:<52} {count:>3}")
        if not summary.flags:
            self.stdout.write("  " + _("No flag was raised."))
        self.stdout.write(
            _(
                "Escalations: %(escalations)d. Deadline reminders: %(reminders)d. "
                "Replies waiting for approval: %(pending)d."
            )
            % {
                "escalations": summary.escalations,
                "reminders": summary.reminders,
                "pending": summary.pending_approval,
            }
        )

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                _("Demo logins added for the handling (password: %(password)s)")
                % {"password": DEMO_PASSWORD}
            )
        )
        rows = demo.login_rows()
        width = max(len(username) for username, _roles in rows)
        for username, roles in rows:
            self.stdout.write(f"  {username:<{width}}  {roles}")

    def _print_pages(self, result):
        base = settings.SITE_URL.rstrip("/")
        pages = (
            (_("Replies waiting for approval"), reverse("responses:approval_queue")),
            (_("Team, overdue and escalated cases"), reverse("officer:team")),
            (_("Shift handover (petugas.spkt)"), reverse("officer:handover")),
            (_("Maladministration flags"), reverse("officer:audit")),
        )
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Where to look")))
        for label, path in pages:
            self.stdout.write(f"  {label:<36} {base}{path}")
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Rate a reply as the citizen")))
        self.stdout.write(
            "  "
            + _(
                "The report %(code)s has a reply waiting for the reporter's rating: track it "
                "at %(url)s with the PIN demo_data printed."
            )
            % {"code": result.tracking_code, "url": base + reverse("intake:track")}
        )
