"""A stand-alone fake of the Wildberries seller API (see simulator/README.md).

`python -m simulator --port 8900 [--host 127.0.0.1] [--demo-seller]`.
Imports nothing from wb-pulse's own packages.
"""

import argparse
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    from aiohttp import web

    from simulator.app import create_app
    from simulator.control import add_seller
    from simulator.pipeline import SIM

    parser = argparse.ArgumentParser(prog="simulator", description="Fake Wildberries seller API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument(
        "--demo-seller", action="store_true", help="create one seller at start-up, print its key"
    )
    parser.add_argument(
        "--demo-preset", default="seed", help="preset of the demo seller (seed|small|bench_1m)"
    )
    parser.add_argument("--demo-seed", type=int, default=1)
    parser.add_argument(
        "--rate-scale", type=float, default=1.0, help="demo seller rate_scale (0 = limits off)"
    )
    parser.add_argument("--secret", default=None, help="key-signing secret (stable keys across restarts)")
    parser.add_argument("--access-log", action="store_true", help="log every request (off by default)")
    args = parser.parse_args(argv)
    app = create_app(secret=args.secret)
    if args.demo_seller:
        body = {"preset": args.demo_preset, "seed": args.demo_seed, "rate_scale": args.rate_scale or None}
        seller, key = add_seller(app[SIM], body)
        print(f"demo seller: {seller.sid} key: {key}", flush=True)
    print(f"WB simulator on http://{args.host}:{args.port} (control API: /__sim/sellers)", flush=True)
    access_log = None
    if args.access_log:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        access_log = logging.getLogger("aiohttp.access")
    web.run_app(app, host=args.host, port=args.port, print=None, access_log=access_log)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
