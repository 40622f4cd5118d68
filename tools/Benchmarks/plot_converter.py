#!/usr/bin/env python3
"""Plots NBL->packets converter cost per NB (docs/benchmarks-converter.svg) from a BenchmarkDotNet JSON report.

Usage: python3 tools/Benchmarks/plot_converter.py \
           BenchmarkDotNet.Artifacts/results/CoNdis.Benchmarks.Converter.NblToPacketConverterBenchmarks-report-full-compressed.json \
           docs/benchmarks-converter.svg
Standard library only. Bars: ns per NB by MDLs per NB (groups) and NBs per NBL x shared/partial MDLs (bars);
the dashed line is the 10 ns/NB target for one MDL.
"""
import json
import sys
from xml.sax.saxutils import escape

TARGET_NS = 10.0


def load(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    for b in report["Benchmarks"]:
        params = dict(p.split("=", 1) for p in b["Parameters"].split("&"))
        key = (int(params["NbsPerNbl"]), int(params["MdlsPerNb"]), params["PartialMdls"] == "True")
        rows[key] = b["Statistics"]["Mean"]
    return rows


def plural(n):
    return "s" if n > 1 else ""


def label(s):
    return f"{s[0]} NB/NBL, " + ("partial" if s[1] else "shared")


def plot(rows, out):
    nbs = sorted({k[0] for k in rows})
    mdls = sorted({k[1] for k in rows})
    series = [(n, p) for p in (False, True) for n in nbs]
    colors = {(1, False): "#9ecae1", (4, False): "#4292c6", (16, False): "#08519c",
              (1, True): "#fdae6b", (4, True): "#f16913", (16, True): "#a63603"}
    width, height = 760, 420
    left, right, top, bottom = 70, 190, 40, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max(max(rows.values()), TARGET_NS) * 1.1
    step = 50 if top_value > 200 else 25
    top_value = ((int(top_value) // step) + 1) * step

    def y(v):
        return top + plot_h - (v / top_value * plot_h)

    group_w = plot_w / len(mdls)
    bar_w = group_w * 0.8 / len(series)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="15" font-weight="bold">NBL→packets translate+complete: ns per NB</text>']
    for v in range(0, top_value + 1, step):
        svg.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>')
    for gi, m in enumerate(mdls):
        gx = left + gi * group_w + group_w * 0.1
        for si, s in enumerate(series):
            v = rows.get((s[0], m, s[1]))
            if v is None:
                continue
            x = gx + si * bar_w
            svg.append(f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{bar_w - 2:.1f}" height="{top + plot_h - y(v):.1f}" fill="{colors.get(s, "#888")}">'
                       f'<title>{escape(label(s))}, {m} MDL/NB: {v:.1f} ns</title></rect>')
            svg.append(f'<text x="{x + bar_w / 2 - 1:.1f}" y="{y(v) - 3:.1f}" text-anchor="middle" font-size="9">{v:.0f}</text>')
        svg.append(f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{m} MDL{plural(m)} per NB</text>')
    svg.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(TARGET_NS):.1f}" y2="{y(TARGET_NS):.1f}" stroke="#c00" stroke-dasharray="6,4"/>')
    svg.append(f'<text x="{left + plot_w + 4}" y="{y(TARGET_NS) + 4:.1f}" fill="#c00">target {TARGET_NS:.0f} ns (1 MDL)</text>')
    svg.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="black"/>')
    svg.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="black"/>')
    svg.append(f'<text transform="translate(18,{top + plot_h / 2}) rotate(-90)" text-anchor="middle">ns per NB (mean)</text>')
    for si, s in enumerate(series):
        ly = top + 30 + si * 20
        svg.append(f'<rect x="{left + plot_w + 12}" y="{ly - 10}" width="12" height="12" fill="{colors.get(s, "#888")}"/>')
        svg.append(f'<text x="{left + plot_w + 30}" y="{ly}">{escape(label(s))}</text>')
    svg.append('</svg>')
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    plot(load(sys.argv[1]), sys.argv[2])
