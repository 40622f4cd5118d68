#!/usr/bin/env python3
"""Plots each client/miniport pairing's time relative to native/native from a BenchmarkDotNet JSON report.

Usage: python3 tools/Benchmarks/plot_ratios.py REPORT-full-compressed.json OUT.svg "TITLE" [PARAM=VALUE ...]
Rows whose parameters do not match every PARAM=VALUE filter are left out. Each group of bars is one (method, other
parameters) case; each bar one pairing, its height the pairing's mean divided by native/native's mean for the same
case, its label the ratio and the native/native time. Prints a Markdown table of the same figures on stdout.
Standard library only.
"""
import json
import sys
from xml.sax.saxutils import escape

PAIRINGS = [("Native", "Native"), ("Native", "Legacy"), ("Legacy", "Native"), ("Legacy", "Legacy")]
COLORS = ["#969696", "#4292c6", "#f16913", "#6a51a3"]


def main(report_path, out_path, title, filters):
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    cases = {}
    for b in report["Benchmarks"]:
        params = dict(p.split("=", 1) for p in b["Parameters"].split("&"))
        if any(params.get(k) != v for k, v in filters.items()):
            continue
        pairing = (params.pop("Client"), params.pop("Miniport"))
        for k in filters:
            params.pop(k, None)
        key = (b["Method"],) + tuple(f"{k}={v}" for k, v in sorted(params.items()))
        allocated = (b.get("Memory") or {}).get("BytesAllocatedPerOperation", 0)
        cases.setdefault(key, {})[pairing] = (b["Statistics"]["Mean"], allocated)
    keys = [k for k in sorted(cases) if ("Native", "Native") in cases[k]]
    print("| case | client/miniport | ns per op | B per op | ratio to native/native |")
    print("|---|---|---:|---:|---:|")
    for key in keys:
        base = cases[key][("Native", "Native")][0]
        for pairing in PAIRINGS:
            if pairing in cases[key]:
                mean, allocated = cases[key][pairing]
                print(f"| {' '.join(key)} | {pairing[0].lower()}/{pairing[1].lower()} | {mean:.1f} | {allocated} | {mean / base:.2f} |")
    bar, gap, height, top = 18, 26, 260, 40
    width = 80 + len(keys) * (len(PAIRINGS) * bar + gap)
    peak = max(cases[k][p][0] / cases[k][("Native", "Native")][0] for k in keys for p in cases[k]) or 1
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + height + 90}" font-family="sans-serif" font-size="10">',
           f'<text x="10" y="18" font-size="13">{escape(title)}</text>']
    for i, (pairing, color) in enumerate(zip(PAIRINGS, COLORS)):
        svg.append(f'<rect x="{width - 150}" y="{8 + i * 13}" width="10" height="10" fill="{color}"/>'
                   f'<text x="{width - 135}" y="{17 + i * 13}">{pairing[0].lower()}/{pairing[1].lower()}</text>')
    x = 60
    for key in keys:
        base = cases[key][("Native", "Native")][0]
        for pairing, color in zip(PAIRINGS, COLORS):
            if pairing in cases[key]:
                r = cases[key][pairing][0] / base
                h = height * r / peak
                svg.append(f'<rect x="{x}" y="{top + height - h:.1f}" width="{bar - 2}" height="{h:.1f}" fill="{color}"/>'
                           f'<text x="{x}" y="{top + height - h - 3:.1f}" font-size="8">{r:.1f}×</text>')
            x += bar
        label = escape(" ".join(key))
        svg.append(f'<text x="{x - len(PAIRINGS) * bar}" y="{top + height + 14}" font-size="8">{label[:40]}</text>'
                   f'<text x="{x - len(PAIRINGS) * bar}" y="{top + height + 26}" font-size="8">native/native {base:.1f} ns</text>')
        x += gap
    svg.append(f'<line x1="50" y1="{top + height}" x2="{width - 10}" y2="{top + height}" stroke="#333"/></svg>')
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(svg))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], dict(a.split("=", 1) for a in sys.argv[4:]))
