"""The web container's health check (docker-compose.yml): exit 0 when /health/ answers 200.

Standard library only, since the image has no curl. Run inside the container it asks the
gunicorn of that container directly, with a host name the site accepts (the first entry of
ALLOWED_HOSTS), so no proxy and no TLS are involved.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

ADDRESS = os.environ.get("HEALTH_CHECK_URL", "http://127.0.0.1:8000/health/")


def accepted_host() -> str:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    # ".example.org" accepts example.org; "*" accepts anything.
    host = hosts[0].lstrip(".") if hosts else "localhost"
    return "localhost" if host == "*" else host


def main() -> int:
    request = urllib.request.Request(ADDRESS, headers={"Host": accepted_host()})  # noqa: S310 - fixed local address
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            print(response.read().decode())
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:  # 503: the database does not answer
        print(error.read().decode(), file=sys.stderr)
    except OSError as error:  # not listening yet, or hung
        print(f"health check failed: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
