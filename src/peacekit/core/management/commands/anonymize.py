"""`peacekit anonymize FILE`: redact a CSV, TXT or JSONL file (analysis.anonymize.cli)."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from peacekit.analysis.anonymize.cli import main


class Command(BaseCommand):
    help = "Mask names, addresses, contacts, numbers and quasi-identifiers in a CSV/TXT/JSONL file."

    def add_arguments(self, parser):
        parser.add_argument(
            "cli_args",
            nargs=argparse.REMAINDER,
            help="FILE [--column C] [--field F] [--policy direct|direct_quasi] [-o OUT] ...",
        )

    def handle(self, *args, **options):
        status = main(options["cli_args"])
        if status:
            raise CommandError("anonymize stopped: see the error above", returncode=status)
