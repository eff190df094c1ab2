"""Issue, list or revoke Open311 API keys; an issued key is printed once and never stored."""

from django.core.management.base import BaseCommand, CommandError

from tanggap.accounts.models import Organisation, Unit
from tanggap.common.exceptions import ApplicationError
from tanggap.integrations.open311.models import ApiKey
from tanggap.integrations.open311.services import api_key_issue, api_key_revoke


class Command(BaseCommand):
    help = (
        "Open311 API keys. 'issue NAME --unit SLUG' or 'issue NAME --organisation SLUG' prints "
        "a new key once (only its digest is kept); 'list' shows keys; 'revoke ID' revokes one."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue")
        issue.add_argument("name", help="Who the key is for (the client application).")
        scope = issue.add_mutually_exclusive_group(required=True)
        scope.add_argument("--unit", help="Unit short name: the key covers it and its sub-units.")
        scope.add_argument("--organisation", help="Organisation short name.")
        sub.add_parser("list")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        if action == "issue":
            self._issue(options)
        elif action == "list":
            for key in ApiKey.objects.select_related("unit", "organisation"):
                scope = key.unit or key.organisation
                state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                self.stdout.write(f"{key.pk:>5}  {key.prefix}…  {key.name}  [{scope}]  {state}")
        else:
            key = ApiKey.objects.filter(pk=options["id"]).first()
            if key is None:
                raise CommandError("No key with this id.")
            api_key_revoke(key=key)
            self.stdout.write(f"Revoked key {key.pk} ({key.name}).")

    def _issue(self, options):
        try:
            unit = Unit.objects.get(slug=options["unit"]) if options["unit"] else None
            organisation = (
                Organisation.objects.get(slug=options["organisation"])
                if options["organisation"]
                else None
            )
            issued = api_key_issue(name=options["name"], unit=unit, organisation=organisation)
        except (Unit.DoesNotExist, Organisation.DoesNotExist):
            raise CommandError("No unit or organisation with this short name.") from None
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"Key {issued.key.pk} for {issued.key.name}:")
        self.stdout.write(f"  {issued.raw}")
        self.stdout.write("Give it to the client now: it is not stored and cannot be shown again.")
