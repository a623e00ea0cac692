#!/usr/bin/env python3
"""Writes demo/responses/{SYMBOL}.json: Yahoo-shaped chart bodies for the sample universe.

The offline demo serves these through rawfeed-replay. They are made up (deterministic
pseudo-random prices) but have the real response's shape (see ../shared/fixtures/yahoo): bars
stamped at each exchange's session open in UTC, the exchange's IANA time zone in meta, adjclose,
and null bars where real data has them. Re-run only to change the demo data.
"""
import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone

# symbol -> (instrumentType, exchangeTimezoneName, gmtoffset (winter), open as UTC hh:mm, days)
WEEKDAYS = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"]
ALL_DAYS = ["2026-11-%02d" % d for d in range(14, 21)]
US = ("EQUITY", "America/New_York", -18000, (14, 30), WEEKDAYS)

UNIVERSE = {
    "AAPL": US, "MSFT": US, "NVDA": US, "AMZN": US, "GOOGL": US, "META": US, "TSLA": US,
    "BRK-B": US, "JPM": US, "V": US, "JNJ": US, "XOM": US, "WMT": US, "PG": US, "KO": US,
    "SPY": ("ETF",) + US[1:], "QQQ": ("ETF",) + US[1:], "VFINX": ("MUTUALFUND",) + US[1:],
    "ABR-PD": US,
    "^GSPC": ("INDEX",) + US[1:], "^IXIC": ("INDEX",) + US[1:],
    "^TNX": ("INDEX", "America/Chicago", -21600, (13, 0), WEEKDAYS),
    "TSCO.L": ("EQUITY", "Europe/London", 0, (8, 0), WEEKDAYS),
    "SAP.DE": ("EQUITY", "Europe/Berlin", 3600, (8, 0), WEEKDAYS),
    "ORSTED.CO": ("EQUITY", "Europe/Copenhagen", 3600, (8, 0), WEEKDAYS),
    "7203.T": ("EQUITY", "Asia/Tokyo", 32400, (0, 0), WEEKDAYS),
    "1301.T": ("EQUITY", "Asia/Tokyo", 32400, (0, 0), WEEKDAYS),
    "0700.HK": ("EQUITY", "Asia/Hong_Kong", 28800, (1, 30), WEEKDAYS),
    "005930.KS": ("EQUITY", "Asia/Seoul", 32400, (0, 0), WEEKDAYS),
    # Sydney opens at 10:00 AEDT = 23:00 UTC the day before: the partition day is the local one.
    "BHP.AX": ("EQUITY", "Australia/Sydney", 39600, (-1, 0), WEEKDAYS),
    "EURUSD=X": ("CURRENCY", "Europe/London", 0, (0, 0), WEEKDAYS),
    "USDKRW=X": ("CURRENCY", "Europe/London", 0, (0, 0), WEEKDAYS),
    "GC=F": ("FUTURE", "America/New_York", -18000, (5, 0), WEEKDAYS),
    "CL=F": ("FUTURE", "America/New_York", -18000, (5, 0), WEEKDAYS),
    "BTC-USD": ("CRYPTOCURRENCY", "UTC", 0, (0, 0), ALL_DAYS),
    "ETH-USD": ("CRYPTOCURRENCY", "UTC", 0, (0, 0), ALL_DAYS),
}


def stamp(day, hm):
    base = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    hours, minutes = hm
    return int((base + timedelta(hours=hours, minutes=minutes)).timestamp())


def body(symbol, spec, rng):
    kind, zone, offset, hm, days = spec
    price = rng.uniform(20, 600)
    ts, o, h, l, c, v = [], [], [], [], [], []
    for day in days:
        ts.append(stamp(day, hm))
        op = round(price * rng.uniform(0.98, 1.02), 2)
        cl = round(op * rng.uniform(0.97, 1.03), 2)
        o.append(op)
        c.append(cl)
        h.append(round(max(op, cl) * rng.uniform(1.0, 1.015), 2))
        l.append(round(min(op, cl) * rng.uniform(0.985, 1.0), 2))
        v.append(0 if kind in ("CURRENCY", "INDEX", "MUTUALFUND") else rng.randint(10**5, 10**8))
        price = cl
    if kind == "CURRENCY":  # FX feeds carry all-null bars; rawfeed drops them
        o[2] = h[2] = l[2] = c[2] = v[2] = None
    adj = [None if x is None else round(x * 0.995, 4) for x in c]
    meta = {
        "currency": "USD", "symbol": symbol, "exchangeName": "DEMO", "instrumentType": kind,
        "firstTradeDate": 345479400, "regularMarketTime": ts[-1] + 6 * 3600 + 1800, "gmtoffset": offset,
        "timezone": "DEMO", "exchangeTimezoneName": zone, "regularMarketPrice": c[-1],
        "chartPreviousClose": o[0], "priceHint": 2, "dataGranularity": "1d", "range": "5d",
        "currentTradingPeriod": {
            "regular": {"timezone": "DEMO", "start": ts[-1], "end": ts[-1] + 6 * 3600 + 1800,
                        "gmtoffset": offset}},
    }
    result = {"meta": meta, "timestamp": ts,
              "indicators": {"quote": [{"open": o, "high": h, "low": l, "close": c, "volume": v}],
                             "adjclose": [{"adjclose": adj}]}}
    return {"chart": {"result": [result], "error": None}}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "demo", "responses")
    os.makedirs(out, exist_ok=True)
    for symbol, spec in UNIVERSE.items():
        rng = random.Random(symbol)
        with open(os.path.join(out, symbol + ".json"), "w") as f:
            json.dump(body(symbol, spec, rng), f, separators=(",", ":"))
            f.write("\n")
    print("wrote %d responses to %s" % (len(UNIVERSE), out), file=sys.stderr)


if __name__ == "__main__":
    main()
