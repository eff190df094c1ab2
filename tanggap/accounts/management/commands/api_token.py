"""Issue, list and revoke API tokens from the command line; a new token is printed once."""

from django.core.management.base import BaseCommand, CommandError

from tanggap.accounts.api_tokens import api_token_create, api_token_revoke
from tanggap.accounts.models import ApiToken, Unit, User
from tanggap.common.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Issue (create), list or revoke API tokens. The raw token is shown only on create."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token acting as a user on some units.")
        create.add_argument("--user", required=True, help="username the token acts as")
        create.add_argument(
            "--unit", action="append", required=True, help="unit slug (repeat for several)"
        )
        create.add_argument("--name", required=True, help="who or what uses the token")
        create.add_argument("--days", type=int, default=365, help="validity (default 365)")
        listing = sub.add_parser("list", help="List tokens (never their secret part).")
        listing.add_argument("--user", help="only this user's tokens")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, user, unit, name, days, **_options):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"No user {user!r}.")
        units = list(Unit.objects.filter(slug__in=unit))
        missing = set(unit) - {u.slug for u in units}
        if missing:
            raise CommandError(f"No unit with slug {', '.join(sorted(missing))}.")
        try:
            issued = api_token_create(user=account, name=name, units=units, days=days)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        token = issued.token
        self.stdout.write(f"prefix {token.prefix}, expires {token.expires_at:%Y-%m-%d %H:%M %Z}")
        self.stdout.write("The token (shown only now; store it in the client's secret store):")
        self.stdout.write(issued.raw)

    def _list(self, *, user=None, **_options):
        tokens = ApiToken.objects.select_related("user").prefetch_related("units")
        if user:
            tokens = tokens.filter(user__username=user)
        for t in tokens:
            state = "revoked" if t.revoked_at else f"expires {t.expires_at:%Y-%m-%d}"
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            units = ",".join(u.slug for u in t.units.all())
            self.stdout.write(
                f"{t.prefix}  {t.user.username}  {t.name}  [{units}]  {state}  used {used}"
            )

    def _revoke(self, *, prefix, **_options):
        token = ApiToken.objects.filter(prefix=prefix.strip()).first()
        if token is None:
            raise CommandError(f"No token with prefix {prefix!r}.")
        api_token_revoke(token=token)
        self.stdout.write(
            f"Revoked {token.prefix} ({token.name}) at {token.revoked_at:%Y-%m-%d %H:%M %Z}."
        )
