"""The reader's address, for per-address rate limits: also behind the optional edge cache.

Behind CloudFront (template parameter `EdgeCache`), API Gateway's source IP is an edge server's,
shared by every reader of that edge. CloudFront adds the reader's own address as
`CloudFront-Viewer-Address`, and the distribution adds a per-stack secret header (`EdgeOriginSecret`).
The viewer address is trusted only when that secret is right: anyone calling the API directly could
write the header, never the secret. Otherwise the address is API Gateway's source IP, as without it.
"""

import hmac
import ipaddress

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from parley.settings import get_settings
from parley.tokens import SECRET_CACHE_SECONDS, secrets

EDGE_SECRET_HEADER = "x-parley-edge-secret"  # noqa: S105 - the header's name, not its value
VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address"


def client_address(event: APIGatewayProxyEventV2) -> str:
    """The viewer address CloudFront vouches for, else the address API Gateway saw."""
    source: str = event.request_context.http.source_ip
    viewer = event.headers.get(VIEWER_ADDRESS_HEADER)
    offered = event.headers.get(EDGE_SECRET_HEADER)
    secret_id = get_settings().edge_secret_arn
    if not (viewer and offered and secret_id):
        return source
    if not hmac.compare_digest(offered.encode(), edge_secret(secret_id).encode()):
        return source
    return viewer_ip(viewer) or source


def edge_secret(secret_id: str) -> str:
    """The stack's origin secret, read through Powertools parameters (cached for five minutes)."""
    value = secrets().get(secret_id, max_age=SECRET_CACHE_SECONDS)
    if not isinstance(value, str) or len(value) < 32:
        raise RuntimeError("the edge origin secret must be a string of at least 32 characters")
    return value


def viewer_ip(header: str) -> str | None:
    """`203.0.113.7:46532` or `2001:db8::1:46532` (CloudFront's `address:port`) -> the address."""
    address, _, _ = header.strip().rpartition(":")
    try:
        return str(ipaddress.ip_address(address.strip("[]")))
    except ValueError:
        return None
