"""What the bundle leaves out. PySide6's hooks collect what Qt *might* load; Hallway is a
QtWidgets app on X11 (and Wayland through XWayland), Windows or macOS that draws its own icons,
speaks HTTP with requests and D-Bus with jeepney, and ships English and German. Everything else
is size on every laptop. Rules match the path inside the bundle, with / separators."""

from __future__ import annotations

import re

QT = r"PySide6/Qt/"
# Qt libraries the app loads, directly or through the plugins kept below.
QT_LIBRARIES = ("Core", "Gui", "Widgets", "DBus", "XcbQpa", "Network", "Svg")
PLUGINS = {
    "platforms": ("qxcb", "qoffscreen", "qwindows", "qcocoa"),
    "platformthemes": ("qxdgdesktopportal",),  # not qgtk3: it pulls in GTK, cairo and pango
    "platforminputcontexts": ("composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"),
    "imageformats": ("qjpeg", "qgif", "qwebp", "qico", "qsvg"),
    "styles": ("qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"),
    "iconengines": ("qsvgicon",),
}
DROP = (
    re.compile(QT + r"translations/"),  # Hallway's own .qm files are in resources/translations
    re.compile(QT + r"(qml|resources|libexec|metatypes|typesystems|include|glue)/"),
)


SYSTEM = re.compile(r"^/(usr/)?lib(64|32)?/")


def from_the_system(source: str) -> bool:
    """A shared library the build machine's OS provides (libX11, libssl, ...). The Linux package
    depends on the OS's own package instead of carrying a copy (installer/deb.py finds which);
    the Python runtime is always carried, so the bundle runs where there is no Python."""
    name = source.rsplit("/", 1)[-1]
    return bool(SYSTEM.match(source)) and not name.startswith("libpython")


def keep(dest: str) -> bool:
    """Whether a file at ``dest`` (inside the bundle) belongs in it."""
    path = dest.replace("\\", "/")
    if any(rule.search(path) for rule in DROP):
        return False
    plugin = re.search(QT + r"plugins/([^/]+)/(?:lib)?([^/.]+)", path)
    if plugin:
        return plugin[2] in PLUGINS.get(plugin[1], ())
    library = re.search(r"(?:^|/)(?:lib)?Qt6(\w+?)(?:\.so\.6|\.dll|\.framework)", path)
    if library:
        return library[1] in QT_LIBRARIES
    return True
