"""The laptop tray app: the feed, notices and the colleague of the day, from the system tray."""
