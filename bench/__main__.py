"""`make bench`: figures for this machine, printed (never asserted).

- list requests/s with p50 and p99 for an article with 50 approved comments, 8 concurrent clients,
  against the local stack, and the server's memory under that load;
- each function's cold-start import time in a fresh interpreter, beside a bare `import boto3`;
- fan-out: one approved comment on an article with 10,000 confirmed subscribers, emails per second
  through the sender against moto, and the sender's peak memory;
- durations: each function's warm duration per request and the AWS requests it makes (what
  docs/costs.md is computed from).
"""

import argparse
import os

from bench.cold_start import cold_starts
from bench.durations import run_durations
from bench.fan_out import run_fan_out
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
    parser.add_argument(
        "--subscribers", type=int, default=10_000, help="confirmed subscribers for the fan-out"
    )
    parser.add_argument("--send-rate", type=float, default=100_000.0, help="MaxSendRate for the fan-out")
    parser.add_argument("--only", choices=["cold", "list", "fanout", "durations"], help="run one benchmark")
    arguments = parser.parse_args()

    print(f"cpus: {os.cpu_count()}")
    if arguments.only in (None, "cold"):
        print("\n# cold start: module import in a fresh interpreter (median of 7)")
        for name, milliseconds, ratio in cold_starts():
            print(f"{name:28} {milliseconds:7.1f} ms  {ratio:4.2f}x boto3")
    if arguments.only in (None, "list"):
        list_benchmark(arguments)
    if arguments.only in (None, "fanout"):
        print(
            f"\n# fan-out: one approved comment, {arguments.subscribers} confirmed subscribers (moto, in process)"
        )
        result = run_fan_out(arguments.subscribers, arguments.send_rate)
        print(
            f"{result.emails} emails in {result.seconds:.1f} s: {result.emails_per_second:.0f} emails/s, "
            f"{result.runs} sender runs, sender peak memory (Python heap) {result.peak_mib:.1f} MiB"
        )
    if arguments.only in (None, "durations"):
        durations_benchmark()


def list_benchmark(arguments: argparse.Namespace) -> None:
    print(f"\n# GET /api/comments: {arguments.comments} approved comments, {arguments.clients} clients")
    # Seeding posts 50 comments from one address: the flood limits are raised for this run.
    with running_stack(
        {"PARLEY_PARAMETER_OVERRIDES": "RateLimitPerMinute=100000 RateLimitPerHour=100000"}
    ) as stack:
        seed_approved_comments(stack, arguments.comments)
        run_load(stack, arguments.clients, 2.0, arguments.limit)  # warm-up, not reported
        result = run_load(stack, arguments.clients, arguments.seconds, arguments.limit)
    print(f"limit={arguments.limit}: {summary(result)}")


def durations_benchmark() -> None:
    print("\n# durations: warm, median of 50, against moto in process; AWS requests per request")
    for measured in run_durations():
        usage = measured.usage
        requests = ", ".join(f"{name} {count:.2g}" for name, count in sorted(usage.requests.items()))
        print(
            f"{measured.name:34} {measured.milliseconds:6.1f} ms  "
            f"RRU {usage.read_units:.2f}  WRU {usage.write_units:.2f}  [{requests}]"
        )


if __name__ == "__main__":
    main()
