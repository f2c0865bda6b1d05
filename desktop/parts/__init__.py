"""The tray app's parts, each one job: the network session, notifications and quiet hours, the
colleague of the day, the office week, navigation, settings, signing in and out, the writes.
Qt objects without windows of their own; desktop.tray_app joins them to the views."""
