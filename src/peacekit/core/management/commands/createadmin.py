"""Create a program administrator (program staff, Django admin access)."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from peacekit.core.models import Membership, Organization
from peacekit.core.services import membership_set, organization_create, user_create


class Command(BaseCommand):
    help = "Create a program administrator who can act across every organization."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--password", help="Omit to be asked (recommended).")
        parser.add_argument("--program", default="Peace Officer Program")

    @transaction.atomic
    def handle(self, *args, **options):
        password = options["password"] or getpass.getpass("Password: ")
        try:
            user = user_create(email=options["email"], password=password, full_name=options["name"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        program = Organization.objects.filter(kind=Organization.Kind.PROGRAM).first()
        if program is None:
            program = organization_create(
                actor=None, name=options["program"], kind=Organization.Kind.PROGRAM
            )
        membership_set(
            actor=None, organization=program, user=user, role=Membership.Role.PROGRAM_ADMIN
        )
        self.stdout.write(self.style.SUCCESS(f"Program administrator {user.email} created."))
