"""`make bench`: figures for this machine, printed (never asserted).

- list requests/s with p50 and p99 for an article with 50 approved comments, 8 concurrent clients,
  against the local stack, and the server's memory under that load;
- each function's cold-start import time in a fresh interpreter, beside a bare `import boto3`.
"""

import argparse
import os

from bench.cold_start import cold_starts
from bench.list_load import run_load, seed_approved_comments, summary
from parley_cli.devprocess import running_stack


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--comments", type=int, default=50)
    parser.add_argument("--limit", type=int, default=20, help="comments per listed page")
    arguments = parser.parse_args()

    print(f"cpus: {os.cpu_count()}")
    print("\n# cold start: module import in a fresh interpreter (median of 7)")
    for name, milliseconds, ratio in cold_starts():
        print(f"{name:28} {milliseconds:7.1f} ms  {ratio:4.2f}x boto3")

    print(f"\n# GET /api/comments: {arguments.comments} approved comments, {arguments.clients} clients")
    with running_stack() as stack:
        seed_approved_comments(stack, arguments.comments)
        run_load(stack, arguments.clients, 2.0, arguments.limit)  # warm-up, not reported
        result = run_load(stack, arguments.clients, arguments.seconds, arguments.limit)
    print(f"limit={arguments.limit}: {summary(result)}")


if __name__ == "__main__":
    main()
