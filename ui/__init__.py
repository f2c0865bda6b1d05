"""What the two Qt front ends (kiosk/ and desktop/) share and the core must not hold: Qt's
translations (``language``), drawn faces (``faces``), the app's lifetime on signals
(``lifetime``) and PySide6's lightened import hook (``pyside_import_scan``). ``hallway`` never
imports from here: a test loads every ``hallway`` module and fails if PySide6 comes with it."""
