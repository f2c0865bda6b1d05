"""The lobby kiosk: check in at the entrance and meet the colleague of the day."""

from ui import pyside_import_scan

pyside_import_scan.install()  # before the rest is imported: PySide6 keeps less of it
