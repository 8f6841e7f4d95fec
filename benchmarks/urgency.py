"""Worst-case cost of the urgency rules: `.venv/bin/python benchmarks/urgency.py [--repeat N]`.

`intake.urgency.assess()` runs inside the request for threats, so a crafted report must not hold a
web worker. The worst input found: a body at the INTAKE_MAX_BODY_CHARS cap made of every rule
file's own examples over and over, so that thousands of threat matches meet thousands of
dampener spans (comparing each match with each span once took 2 to 3 s in Japanese or Chinese;
the spans are indexed now, intake.urgency._Damping). Measured as CPU seconds of one assess() call,
the median of --repeat calls, for all twelve files at once and for each language's examples on
their own; the baseline is an ordinary 2,000-character report in the same run, so the ratio says
what the worst case costs next to everyday work. Writes benchmarks/results/urgency.json.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]  # see intake.py
sys.path.insert(0, str(HERE.parent))

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetydesk.test_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from safetydesk.intake.tests.test_urgency_worst_case import adversarial  # noqa: E402
from safetydesk.intake.urgency import DEFAULT_RULES_DIR, assess, load_rules  # noqa: E402
from safetydesk.lib.benchmarking import environment, write_result  # noqa: E402

# The worst case on a 2-core machine should stay well under a second of CPU: a web worker is
# held that long at most by one crafted report.
TARGET_SECONDS = 1.0
ORDINARY = (
    "Hello, the user Example123 keeps reverting my edits on the article about the river and calls "
    "me names on the talk page. I asked them to stop twice. Could someone look at this please? "
) * 12


def cpu_seconds(text: str, language: str, repeat: int) -> float:
    assess(text[:1000], language)  # rules loaded and the selection built before timing
    times = []
    for _ in range(repeat):
        started = time.process_time()
        assess(text, language)
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="calls per input; the median is reported")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "urgency.json")
    options = parser.parse_args()

    ruleset = load_rules(DEFAULT_RULES_DIR)
    baseline = cpu_seconds(ORDINARY, "", options.repeat * 4)
    all_files = cpu_seconds(adversarial(ruleset.files), "", options.repeat)
    by_language = {f.language: cpu_seconds(adversarial((f,)), f.language, options.repeat) for f in ruleset.files}
    slowest = max(by_language, key=by_language.__getitem__)
    result = {
        "benchmark": "urgency",
        "body_chars": settings.INTAKE_MAX_BODY_CHARS,
        "repeat": options.repeat,
        "target_seconds": TARGET_SECONDS,
        "baseline_ordinary_report_ms": round(baseline * 1000, 3),
        "all_files_seconds": round(all_files, 4),
        "by_language_seconds": {k: round(v, 4) for k, v in sorted(by_language.items())},
        "ratio_all_files_to_baseline": round(all_files / baseline, 1) if baseline else None,
        "meets_target": all_files < TARGET_SECONDS,
        "environment": environment(),
    }
    summary = (
        f"urgency worst case ({settings.INTAKE_MAX_BODY_CHARS} chars): all files {all_files:.3f} s CPU"
        f"{'' if all_files < TARGET_SECONDS else ' MISS'}, slowest language {slowest} {by_language[slowest]:.3f} s"
        f" | ordinary report {baseline * 1000:.2f} ms, ratio x{all_files / baseline:.0f}"
    )
    write_result(result, options.out, summary)


if __name__ == "__main__":
    main()
