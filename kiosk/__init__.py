"""The lobby kiosk: check in at the entrance and meet the colleague of the day."""
