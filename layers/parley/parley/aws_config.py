"""How our boto3 clients talk to AWS: short timeouts (each attempt well inside a function's own
timeout, so a slow call fails and is retried or reported, not cut off by Lambda) and the standard
retry mode (exponential backoff with jitter, throttling retried).

botocore's own check of each request's parameters against the service model is off: our code builds
every request (nothing a reader sends reaches one unvalidated), AWS checks them again anyway, and the
check was a third of the client's CPU per call (a listing makes up to 22 calls)."""

from botocore.config import Config

RETRY_ATTEMPTS = 3


def client_config(read_timeout: float, connect_timeout: float = 1.0) -> Config:
    return Config(
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"mode": "standard", "max_attempts": RETRY_ATTEMPTS},
        parameter_validation=False,
    )
