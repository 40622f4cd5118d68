#!/usr/bin/env python3
"""Tabulates DataPathBenchmarks (ns per NBL, B/op, ratio to Native/Native) and plots the ratio by frame size and pairing.

Usage: python3 tools/Benchmarks/plot_datapath.py \
           BenchmarkDotNet.Artifacts/results/CoNdis.Benchmarks.DataPath.DataPathBenchmarks-report-full-compressed.json \
           docs/benchmarks-datapath.svg > table.md
Standard library only. Prints a Markdown table on stdout; the SVG has one panel per (method, batch 32), bars per
frame size and pairing, the value being the pairing's ratio to Native/Native of the same method, frame size and batch.
"""
import json
import sys
from xml.sax.saxutils import escape

PAIRINGS = [("Native", "Native"), ("Native", "Legacy"), ("Legacy", "Native"), ("Legacy", "Legacy")]
COLORS = {("Native", "Native"): "#969696", ("Native", "Legacy"): "#4292c6", ("Legacy", "Native"): "#f16913", ("Legacy", "Legacy"): "#6a51a3"}


def load(path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    rows = {}
    for b in report["Benchmarks"]:
        params = dict(p.split("=", 1) for p in b["Parameters"].split("&"))
        key = (b["Method"], params["Client"], params["Miniport"], int(params["FrameSize"]), int(params["Batch"]))
        allocated = (b.get("Memory") or {}).get("BytesAllocatedPerOperation", 0)
        rows[key] = (b["Statistics"]["Mean"], allocated)
    return rows


def ratio(rows, method, client, miniport, size, batch):
    base = rows[(method, "Native", "Native", size, batch)][0]
    return rows[(method, client, miniport, size, batch)][0] / base


def table(rows):
    out = ["| method | client/miniport | frame | batch | ns per NBL | B per NBL | ratio to native/native |",
           "|---|---|---:|---:|---:|---:|---:|"]
    for method in ("SendComplete", "ReceiveReturn"):
        for client, miniport in PAIRINGS:
            for size in (64, 512, 1514):
                for batch in (1, 32):
                    mean, allocated = rows[(method, client, miniport, size, batch)]
                    r = ratio(rows, method, client, miniport, size, batch)
                    out.append(f"| {method} | {client.lower()}/{miniport.lower()} | {size} | {batch} | {mean:.1f} | {allocated} | {r:.2f} |")
    return "\n".join(out)


def plot(rows, out):
    width, height = 900, 420
    panel_w, top, bottom, left = 400, 50, 60, 60
    sizes = (64, 512, 1514)
    top_value = max(ratio(rows, m, c, n, s, 32) for m in ("SendComplete", "ReceiveReturn") for c, n in PAIRINGS for s in sizes)
    step = 5 if top_value > 20 else 2
    top_value = ((int(top_value) // step) + 1) * step
    plot_h = height - top - bottom
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           '<text x="20" y="22" font-size="15" font-weight="bold">Cost per NBL relative to native/native (same run), batch 32</text>']
    for pi, method in enumerate(("SendComplete", "ReceiveReturn")):
        x0 = left + pi * (panel_w + 60)

        def y(v):
            return top + plot_h - (v / top_value * plot_h)

        svg.append(f'<text x="{x0}" y="{top - 10}" font-weight="bold">{escape("send → complete" if method == "SendComplete" else "receive → return")}</text>')
        for v in range(0, top_value + 1, step):
            svg.append(f'<line x1="{x0}" x2="{x0 + panel_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>')
            svg.append(f'<text x="{x0 - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}×</text>')
        group_w = panel_w / len(sizes)
        bar_w = group_w * 0.8 / len(PAIRINGS)
        for gi, size in enumerate(sizes):
            gx = x0 + gi * group_w + group_w * 0.1
            for bi, pairing in enumerate(PAIRINGS):
                r = ratio(rows, method, pairing[0], pairing[1], size, 32)
                bx = gx + bi * bar_w
                svg.append(f'<rect x="{bx:.1f}" y="{y(r):.1f}" width="{bar_w - 2:.1f}" height="{y(0) - y(r):.1f}" fill="{COLORS[pairing]}"/>')
                svg.append(f'<text x="{bx + bar_w / 2 - 1:.1f}" y="{y(r) - 3:.1f}" text-anchor="middle" font-size="10">{r:.1f}</text>')
            svg.append(f'<text x="{gx + group_w * 0.4:.1f}" y="{y(0) + 16:.1f}" text-anchor="middle">{size} B</text>')
    for li, pairing in enumerate(PAIRINGS):
        lx = left + li * 170
        svg.append(f'<rect x="{lx}" y="{height - 24}" width="12" height="12" fill="{COLORS[pairing]}"/>')
        svg.append(f'<text x="{lx + 18}" y="{height - 14}">{pairing[0].lower()} client / {pairing[1].lower()} miniport</text>')
    svg.append("</svg>")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    data = load(sys.argv[1])
    plot(data, sys.argv[2])
    print(table(data))
