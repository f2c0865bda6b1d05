"""What the person sees: the feed window and its compose box, the colleague card, the settings
window, the sign-in forms, the office week strip and the tray icon's drawing. Widgets only: they
show what they are given and say what was asked for in signals; the parts decide."""
