"""peacekit: software for a national police-community peace program."""

__version__ = "0.1.0"
