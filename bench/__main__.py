"""`make bench`: figures for this machine, printed (never asserted).

- list requests/s with p50 and p99 for an article with 50 approved comments, 8 concurrent clients,
  against the local stack, and the server's memory under that load;
- each function's cold-start import time in a fresh interpreter, beside a bare `import boto3` and the
  minimal function's (the framework's floor);
- first request: each function's import, init and one representative request in a fresh interpreter,
  beside a minimal function on the same framework; warm CPU per request; DynamoDB requests and
  capacity units per route (AWS answered from a recording: no moto, no network);
- fan-out: one approved comment on an article with 10,000 confirmed subscribers, emails per second
  through the sender against moto, and the sender's peak memory;
- durations: each function's warm duration per request and the AWS requests it makes (what
  docs/costs.md is computed from);
- soak: 60 s of 32 clients against the local stack, 90% lists of a 50-comment article and 10% new
  comments from fresh addresses, with the memory of all the stack's processes at the half and the end;
- posting: 60 s of 8 clients posting only (flood limits, idempotency and alerts on), per 10 s slice;
- seeding: 2,000 comments over 40 other articles through the API, first and last quarter's rate, and
  one 50-comment article listed before and after;
- threads: the first page of an article with 2,000 comments, a third of them replies, 8 clients,
  uncached and cached, and the DynamoDB requests one page costs;
- import: a WordPress export of 100,000 comments over 1,000 articles imported into the local stack
  with `parley import`: time, comments/s, peak memory of the importing process, counts checked.
- permalink: the page holding the newest top-level comment of that article (the worst case, oldest
  first), uncached, one request at a time, and the DynamoDB requests one lookup costs.

The whole run takes about seven minutes on two cores (`--only` runs one benchmark).
"""

import argparse
import os
import tempfile
from pathlib import Path

from bench import first_request, module_imports, permalinks, soak, threads
from bench.durations import run_durations
from bench.fan_out import run_fan_out
from bench.first_request import run_first_requests
from bench.importing import run_import, write_wordpress_export
from bench.list_load import LIST_RUNS, run_load, seed_approved_comments, summary
from bench.seeding import run_seeding
from parley_cli.devprocess import running_stack
from parley_cli.importing.sending import PARALLEL


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
    parser.add_argument("--soak-seconds", type=float, default=60.0, help="length of the soak and of posting")
    parser.add_argument("--import-comments", type=int, default=100_000, help="comments in the imported file")
    parser.add_argument("--import-parallel", type=int, default=PARALLEL, help="parley import --parallel")
    parser.add_argument("--soak-list-cache", type=int, default=5, help="ListCacheSeconds for the soak")
    parser.add_argument(
        "--only",
        choices=[
            "cold",
            "first",
            "list",
            "fanout",
            "durations",
            "soak",
            "posting",
            "seeding",
            "threads",
            "import",
            "permalink",
        ],
        help="run one benchmark",
    )
    arguments = parser.parse_args()

    print(f"cpus: {os.cpu_count()}")
    if arguments.only in (None, "cold"):
        module_import_benchmark()
    if arguments.only in (None, "first"):
        first_request_benchmark()
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
    if arguments.only in (None, "soak"):
        soak_benchmark(arguments.soak_seconds, arguments.soak_list_cache)
    if arguments.only in (None, "posting"):
        posting_benchmark(arguments.soak_seconds)
    if arguments.only in (None, "seeding"):
        seeding_benchmark(2000, 40)
    if arguments.only in (None, "threads"):
        threads_benchmark(2000, arguments.clients, arguments.seconds)
    if arguments.only in (None, "import"):
        import_benchmark(
            arguments.import_comments, max(1, arguments.import_comments // 100), arguments.import_parallel
        )
    if arguments.only in (None, "permalink"):
        permalink_benchmark(2000)


def list_benchmark(arguments: argparse.Namespace) -> None:
    print(
        f"\n# GET /api/comments: {arguments.comments} approved comments, {arguments.clients} clients, "
        f"limit={arguments.limit}, {arguments.seconds:.0f} s; cached as `make dev` runs, then uncached"
    )
    for caching in LIST_RUNS:
        # Seeding posts 50 comments from one address: the flood limits are raised for this run.
        overrides = f"RateLimitPerMinute=100000 RateLimitPerHour=100000 {caching.overrides}"
        with running_stack({"PARLEY_PARAMETER_OVERRIDES": overrides}) as stack:
            seed_approved_comments(stack, arguments.comments)
            run_load(stack, arguments.clients, 2.0, arguments.limit)  # warm-up, not reported
            result = run_load(stack, arguments.clients, arguments.seconds, arguments.limit)
        print(f"{caching.name}: {summary(result)}")
        print(f"  {caching.beside_targets(result)}")


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def module_import_benchmark() -> None:
    print(
        f"\n# cold start: module import in a fresh interpreter (median of {module_imports.RUNS}, interleaved;"
        " the larger of the wall and CPU ratios)"
    )
    for row in module_imports.module_imports():
        reference = row.name in (
            "import boto3",
            "minimal function",
            module_imports.MINIMAL_WITHOUT_COLLECTION,
        )
        target = "" if reference else f"  target <= 1.50x boto3: {verdict(row.boto3_ratio <= 1.5)}"
        print(
            f"{row.name:44} wall {row.wall_ms:6.1f} ms  CPU {row.cpu_ms:6.1f} ms  "
            f"{row.boto3_ratio:4.2f}x boto3  {row.minimal_ratio:4.2f}x minimal without collection{target}"
        )


def first_request_benchmark() -> None:
    results = run_first_requests()
    minimal, equal_terms = results.minimal, results.minimal_without_collection
    print(
        f"\n# first request in a fresh interpreter (import, init, one request; median of {first_request.RUNS},"
        " interleaved), AWS answered from a recording; the larger of the wall and CPU ratios"
    )
    for reference in (minimal, equal_terms):
        print(
            f"{reference.name:58} wall {reference.wall_ms:6.0f} ms  CPU {reference.cpu_ms:5.0f} ms  "
            f"peak {reference.peak_mib:3.0f} MiB"
        )
    for each in results.functions:
        ratio = max(each.wall_ms / minimal.wall_ms, each.cpu_ms / minimal.cpu_ms)
        equal_ratio = max(each.wall_ms / equal_terms.wall_ms, each.cpu_ms / equal_terms.cpu_ms)
        print(
            f"{each.name:58} wall {each.wall_ms:6.0f} ms  CPU {each.cpu_ms:5.0f} ms  "
            f"peak {each.peak_mib:3.0f} MiB  {ratio:4.2f}x minimal  target <= 1.25x: {verdict(ratio <= 1.25)}; "
            f"on equal terms {equal_ratio:4.2f}x: {verdict(equal_ratio <= 1.25)}"
        )
    targets = {"list": 2.0, "submit": 6.0}
    print(
        f"\n# warm CPU per request (process CPU time, {first_request.WARM_REQUESTS} requests, no moto, no network)"
    )
    for warm in results.warm:
        target = (
            f"  target p50 <= {targets[warm.name]:.0f} ms: {verdict(warm.cpu_p50_ms <= targets[warm.name])}"
            if warm.name in targets
            else ""
        )
        print(f"{warm.name:28} p50 {warm.cpu_p50_ms:5.2f} ms  p90 {warm.cpu_p90_ms:5.2f} ms{target}")
    print("\n# DynamoDB requests and capacity units per route (estimated from item sizes)")
    for cost in results.costs:
        dynamodb = {
            name.split(":")[1]: count for name, count in cost.requests.items() if name.startswith("dynamodb:")
        }
        others = {name: count for name, count in cost.requests.items() if not name.startswith("dynamodb:")}
        print(
            f"{cost.name:28} {sum(dynamodb.values()):3d} requests  RRU {cost.read_units:5.1f}  WRU {cost.write_units:5.1f}"
            f"  [{', '.join(f'{n} {c}' for n, c in sorted(dynamodb.items()))}]"
            + (f"  + {', '.join(f'{n} {c}' for n, c in sorted(others.items()))}" if others else "")
        )


def durations_benchmark() -> None:
    print("\n# durations: warm, median of 50, against moto in process; AWS requests per request")
    for measured in run_durations():
        usage = measured.usage
        requests = ", ".join(f"{name} {count:.2g}" for name, count in sorted(usage.requests.items()))
        print(
            f"{measured.name:34} {measured.milliseconds:6.1f} ms  "
            f"RRU {usage.read_units:.2f}  WRU {usage.write_units:.2f}  [{requests}]"
        )


def soak_benchmark(seconds: float, list_cache_seconds: int) -> None:
    print(
        f"\n# soak: {seconds:.0f} s, 32 clients, 90% GET a 50-comment article, 10% POST from fresh addresses"
    )
    # As `make dev` runs (listings cached 5 s per container); `--soak-list-cache 0` reads the table each time.
    with running_stack({"PARLEY_PARAMETER_OVERRIDES": f"ListCacheSeconds={list_cache_seconds}"}) as stack:
        soak.seed_approved(stack, soak.SOAK_SLUG, 50)
        outcome = soak.run(stack, 32, seconds, 0.1, soak.SOAK_SLUG)
        queued = soak.pending_in_queue(stack, soak.SOAK_SLUG)
    first, second = outcome.rss_mib
    lost = len(set(outcome.accepted) - queued)
    print(f"requests/s           {len(outcome.requests) / seconds:8.1f}")
    print(f"p50 / p99            {outcome.percentile(0.5):8.0f} / {outcome.percentile(0.99):.0f} ms")
    print(f"errors / 5xx         {outcome.errors:8d} / {outcome.server_errors:<8d} target 0 / 0")
    print(f"accepted / queued    {len(outcome.accepted):8d} / {len(queued):<8d} target equal ({lost} lost)")
    print(
        f"RSS 1st / 2nd half   {first:8.0f} / {second:.0f} MiB   target growth <= 10% "
        f"({(second - first) / first:+.1%}), total < 300 MiB"
    )


def posting_benchmark(seconds: float, slices: int = 6) -> None:
    print(f"\n# posting: {seconds:.0f} s, 8 clients, posts only (flood limits, idempotency, alerts on)")
    with running_stack() as stack:
        outcome = soak.run(stack, 8, seconds, 1.0, soak.POSTING_SLUG)
    rates = soak.per_slice(outcome, seconds, slices)
    print(f"submissions/s per {seconds / slices:.0f} s slice: {' '.join(f'{rate:.1f}' for rate in rates)}")
    print(f"last / first slice   {rates[-1] / rates[0]:8.2f}   target flat (>= 0.9)")
    print(f"p50 / p99            {outcome.percentile(0.5):8.0f} / {outcome.percentile(0.99):.0f} ms")
    print(f"errors / 5xx         {outcome.errors:8d} / {outcome.server_errors:<8d} target 0 / 0")
    print(f"RSS half / end       {outcome.rss_mib[0]:8.0f} / {outcome.rss_mib[1]:.0f} MiB")


def seeding_benchmark(count: int, articles: int) -> None:
    print(
        f"\n# seeding: {count} comments over {articles} other articles (8 clients); one article listed around it"
    )
    # As an import would: no moderator alert per comment (a backlog of alerts would compete for the
    # cores); listings uncached, so that each one reads the table.
    with running_stack({"PARLEY_PARAMETER_OVERRIDES": "ModeratorEmail= ListCacheSeconds=0"}) as stack:
        result = run_seeding(stack, count, articles)
    before, after = result.list_before.percentile(0.5), result.list_after.percentile(0.5)
    print(
        f"seeded               {result.comments} in {result.seconds:.0f} s ({result.comments / result.seconds:.1f}/s); "
        f"first quarter {result.first_quarter_per_second:.1f}/s, last {result.last_quarter_per_second:.1f}/s"
        f"   target flat (>= 0.9): {result.last_quarter_per_second / result.first_quarter_per_second:.2f}"
    )
    print(
        f"list p50 before/after {before:7.0f} / {after:.0f} ms   target no slower (<= 1.2x): {after / before:.2f}x"
    )


def threads_benchmark(count: int, clients: int, seconds: float) -> None:
    print(
        f"\n# threads: first page ({soak.PAGE_SIZE} threads) of an article with {count} comments, a third replies"
    )
    for cache_seconds in (0, 5):
        with running_stack({"PARLEY_PARAMETER_OVERRIDES": f"ListCacheSeconds={cache_seconds}"}) as stack:
            with threads.local_aws(stack):
                threads.seed_threads(count)
                made = threads.requests_per_page(soak.PAGE_SIZE)
            threads.run(stack, clients, 2.0)  # warm-up, not reported
            outcome = threads.run(stack, clients, seconds)
        print(
            f"ListCacheSeconds={cache_seconds}: {len(outcome.requests) / seconds:6.1f} req/s, "
            f"p50 {outcome.percentile(0.5):.0f} ms, p99 {outcome.percentile(0.99):.0f} ms, "
            f"errors {outcome.errors}, 5xx {outcome.server_errors}"
        )
    print(
        f"DynamoDB requests per page: {sum(made.values())} ({', '.join(f'{n} {c}' for n, c in sorted(made.items()))})"
    )


def import_benchmark(comments: int, articles: int, parallel: int) -> None:
    print(
        f"\n# import: a WordPress export of {comments:,} comments over {articles:,} articles, "
        f"`parley import --parallel {parallel}`"
    )
    with tempfile.TemporaryDirectory(prefix="parley-bench-") as folder:
        export = Path(folder) / "wordpress.xml"
        approved = write_wordpress_export(export, comments, articles)
        # As `make dev` runs (its data kept, in a temporary directory here); no moderator alerts.
        with running_stack({"PARLEY_PARAMETER_OVERRIDES": "ModeratorEmail="}) as stack:
            result = run_import(stack, export, comments, articles, approved, parallel)
        size_mib = export.stat().st_size / 2**20
    print(f"file                 {size_mib:8.1f} MiB, {comments:,} comments")
    print(f"time                 {result.seconds:8.1f} s    target <= 180 s")
    print(f"comments/s           {result.comments / result.seconds:8.0f}")
    print(f"CPU of the importer  {result.cpu_seconds:8.1f} s")
    print(f"peak memory          {result.peak_mib:8.0f} MiB  target < 300 MiB (the importing process)")
    exact = "exact" if result.counted == result.expected else "WRONG"
    print(f"approved counted     {result.counted:8,} of {result.expected:,} ({exact})")
    print(f"import said          {result.output.strip().splitlines()[-1]}")


def permalink_benchmark(count: int) -> None:
    print(
        f"\n# permalink: the page holding the newest thread of an article with {count} comments (oldest first)"
    )
    with running_stack({"PARLEY_PARAMETER_OVERRIDES": "ListCacheSeconds=0"}) as stack:
        with threads.local_aws(stack):
            threads.seed_threads(count)
            newest = permalinks.newest_top_level()
            made, page = permalinks.requests_per_lookup(newest)
        lookup, first_page = permalinks.lookup_url(stack, newest), permalinks.first_page_url(stack)
        permalinks.latencies(lookup, 5)  # warm-up, not reported
        taken = permalinks.latencies(lookup, 30)
        listed = permalinks.latencies(first_page, 30)
    print(
        f"lookup (page {page}): p50 {permalinks.percentile(taken, 0.5):.0f} ms, "
        f"p99 {permalinks.percentile(taken, 0.99):.0f} ms; the first page itself: p50 "
        f"{permalinks.percentile(listed, 0.5):.0f} ms (30 each)"
    )
    print(
        f"DynamoDB requests per lookup: {sum(made.values())} ({', '.join(f'{n} {c}' for n, c in sorted(made.items()))})"
    )


if __name__ == "__main__":
    main()
