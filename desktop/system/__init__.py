"""What the desktop and the OS provide, each behind one small seam: the system tray, native
notifications, the login entry, the screen lock and unlock, the screen reader, one app a session."""
