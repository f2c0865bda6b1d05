#!/bin/sh
# Builds Hallway-<version>.pkg on macOS (run by .github/workflows/installers.yml):
#   the bundle as Hallway.app (installer/hallway.spec makes the .app on macOS), the LaunchAgent,
#   and scripts/postinstall. Set SIGN_IDENTITY ("Developer ID Installer: ...") to sign it.
set -eu
cd "$(dirname "$0")/../.."
version="$(python -c 'import hallway; print(hallway.__version__)')"
python -m installer build
stage="$(mktemp -d)"
mkdir -p "$stage/Applications" "$stage/Library/LaunchAgents"
cp -R dist/Hallway.app "$stage/Applications/"
cp installer/macos/com.hallway.desktop.plist "$stage/Library/LaunchAgents/"
chmod 755 installer/macos/scripts/postinstall
pkgbuild --root "$stage" --scripts installer/macos/scripts --identifier com.hallway.pkg \
  --version "$version" --install-location / ${SIGN_IDENTITY:+--sign "$SIGN_IDENTITY"} \
  "dist/Hallway-$version.pkg"
echo "built dist/Hallway-$version.pkg"
