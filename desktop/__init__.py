"""The laptop tray app: the feed, notices and the colleague of the day, from the system tray."""

from ui import pyside_import_scan

pyside_import_scan.install()  # before the rest is imported: PySide6 keeps less of it
