"""The container's HEALTHCHECK: exit 0 when the app on 127.0.0.1:$PORT answers /healthz with 200.

It names the site by the first host in DJANGO_ALLOWED_HOSTS, so Django's host check lets the
probe through whatever host list the deployment sets (a probe as Host: 127.0.0.1 answers 400
when only the public name is allowed). Standard library only: it runs in the image as is.
"""

import http.client
import os
import sys


def probe_host(allowed_hosts: str) -> str:
    """A Host header Django accepts: the first allowed host (".example.org" allows example.org)."""
    for host in (h.strip() for h in allowed_hosts.split(",")):
        if host and host != "*":
            return host.lstrip(".")
    return "localhost"


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    host = probe_host(os.environ.get("DJANGO_ALLOWED_HOSTS", ""))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
    try:
        connection.request("GET", "/healthz", headers={"Host": host})
        status = connection.getresponse().status
    except OSError as error:
        print(f"unhealthy: 127.0.0.1:{port}/healthz: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if status != 200:
        print(f"unhealthy: 127.0.0.1:{port}/healthz as {host} answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
