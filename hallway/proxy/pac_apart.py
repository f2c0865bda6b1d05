"""The PAC reader's own process (see hallway.proxy.pac): one line of JSON in (the PAC file and
the URLs to ask about), one line out (each answer, or the error), then it ends. The app stops
it when it takes too long."""

from __future__ import annotations

import json
import os
import sys


def main() -> int:
    try:
        request = json.loads(sys.stdin.readline())
        pac, queries = str(request["pac"]), [(str(u), str(h)) for u, h in request["queries"]]
    except (ValueError, KeyError, TypeError):
        return 2
    try:
        from pypac.parser import PACFile

        parsed = PACFile(pac)
        answer: dict[str, object] = {"answers": [str(parsed.find_proxy_for_url(url, host)) for url, host in queries]}
    except Exception as failure:  # a PAC file that throws, or is not JavaScript: said, never a crash
        answer = {"error": f"{type(failure).__name__}: {str(failure)[:300]}"}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    os._exit(main())
