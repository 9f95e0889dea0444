"""JSON Lines for timing the importer: `python -m bench.import_lines --lines 100000 > a.jsonl`.

The demo's generated articles (`demo.content.build_records`: rubrics, regions, tags, bylines,
sources, drafts and scheduled ones in the demo's proportions), repeated with a numbered address
when more lines are asked for than the demo has distinct titles to draw.
"""

import argparse
import json
import sys

from bench.common import ROOT

# Distinct demo titles drawn before the records repeat under numbered addresses.
DISTINCT = 20_000
SLUG_ROOT_LENGTH = 88


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
    import django

    django.setup()
    from django.utils import timezone

    from demo.content import build_records
    from newsroom.slugs import transliterate_slug

    records = build_records(count=min(args.lines, DISTINCT), seed=args.seed, now=timezone.now())
    out = sys.stdout
    for number in range(args.lines):
        record = records[number % len(records)]
        round_ = number // len(records)
        if round_:
            root = transliterate_slug(record["title"], max_length=SLUG_ROOT_LENGTH)
            record = {**record, "slug": f"{root}-{round_}"}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
