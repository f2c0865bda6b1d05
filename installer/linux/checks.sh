# Shared by the maintainer scripts: the same rules as hallway.config, in words for IT.
hallway_bad_server() {
  # Prints why "$1" is not a server address; prints nothing when it is fine (or empty).
  case "$1" in
    "") return 0 ;;
    http://*|https://*) ;;
    *) echo "\"$1\" is not a web address: it must start with https:// (for example https://social.example.com)"; return 0 ;;
  esac
  if ! printf '%s' "$1" | grep -Eq '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/%-]*)?$'; then
    echo "\"$1\" is not a web address Hallway can use: expected https://host[:port][/path], with no spaces or quotes"
  fi
}
hallway_bad_mode() {
  case "$1" in
    ""|desktop|kiosk) ;;
    *) echo "\"$1\" is not a mode: use desktop (laptops) or kiosk (the lobby screen)" ;;
  esac
}
