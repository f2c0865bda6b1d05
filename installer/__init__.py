"""Builds what IT installs: one PyInstaller bundle, the Linux package, and the recipes for the
Windows and macOS packages (built on those systems by .github/workflows/installers.yml)."""
