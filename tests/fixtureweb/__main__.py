"""Serve the fixture web by hand: `python -m tests.fixtureweb OUTDIR` from the repo root.

Writes OUTDIR/outlets/<id>.toml (the dead outlet included), prints every outlet's base URL and
discovery document, and serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from .content import OUTLETS
from .server import DEAD_OUTLET, FixtureWeb


def main(argv: list[str] | None = None) -> int:
    """Start the web, write configs into OUTDIR, print URLs, block until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m tests.fixtureweb", description=__doc__)
    parser.add_argument("outdir", type=Path, help="folder that receives outlets/<id>.toml")
    args = parser.parse_args(argv)
    with FixtureWeb() as web:
        web.write_configs(args.outdir, include_dead=True)
        for oid in web.outlet_ids:
            base = web.base_url(oid)
            print(f"{oid:18} {base}/  discovery: {base}{OUTLETS[oid].discovery_path}")
        print(f"{DEAD_OUTLET:18} http://127.0.0.1:{web.dead_port}/  (nothing listens)")
        print(f"configs in {args.outdir / 'outlets'}; press Ctrl-C to stop", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
