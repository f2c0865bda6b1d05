#!/bin/sh
# Removes Hallway from a Mac: the app, the LaunchAgent, the commands and the package receipt.
# IT's preset (/Library/Preferences/com.hallway.app.plist) goes too; profiles are removed by MDM.
set -e
[ "$(id -u)" = 0 ] || { echo "run with sudo" >&2; exit 1; }
user="$(stat -f %Su /dev/console)"
[ -n "$user" ] && [ "$user" != root ] && launchctl bootout "gui/$(id -u "$user")/com.hallway.desktop" 2>/dev/null || true
rm -f /Library/LaunchAgents/com.hallway.desktop.plist /usr/local/bin/hallway /usr/local/bin/hallway-desktop /usr/local/bin/hallway-kiosk
rm -rf /Applications/Hallway.app
rm -f /Library/Preferences/com.hallway.app.plist
pkgutil --forget com.hallway.pkg >/dev/null 2>&1 || true
echo "Hallway removed. People's own files stay in ~/Library/Application Support/hallway."
