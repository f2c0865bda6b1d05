"""Hallway: the company's social network in the lobby and the system tray."""

__version__ = "0.1.0"
