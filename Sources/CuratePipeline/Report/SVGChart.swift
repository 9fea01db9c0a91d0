import Foundation

/// Inline SVG charts for the HTML report: no script, no external file, so the page renders the
/// same offline, in a browser or in a mail attachment. Every bar is a `<rect class="bar">` and
/// every line a `<polyline class="series">` inside an `<svg data-chart="ID">`, which is what the
/// browser test counts.
enum SVGChart {
    struct Bar {
        var label: String
        var value: Double
        /// Index into `palette` (a series within a group: requested vs achieved …).
        var series: Int = 0
        /// Bars of one group stand together under the group's label.
        var group: String
    }

    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        /// Index into `palette`: a task's validation line takes its training line's colour.
        var color: Int
        var dashed = false
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#edc948", "#9c755f"]

    /// Vertical bars, grouped by `group` in first-seen order, with a legend of `seriesNames`.
    static func bars(id: String, _ bars: [Bar], seriesNames: [String] = [], format: (Double) -> String = { String(format: "%g", $0) }) -> String {
        let groups = bars.map(\.group).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let perGroup = max(1, groups.map { g in bars.filter { $0.group == g }.count }.max() ?? 1)
        let barWidth = max(4.0, min(28.0, 640.0 / Double(max(1, bars.count))))
        let gap = barWidth * 0.6
        let plotHeight = 180.0, top = 24.0, left = 48.0
        let width = max(left + Double(groups.count) * (Double(perGroup) * barWidth + gap) + 20, left + legendWidth(seriesNames) + 10)
        let maxValue = max(bars.map(\.value).max() ?? 0, 1e-12)
        var body = axis(left: left, top: top, height: plotHeight, width: width, maxValue: maxValue, format: format)
        var x = left + gap / 2
        for group in groups {
            let members = bars.filter { $0.group == group }
            for bar in members {
                let h = plotHeight * max(0, bar.value) / maxValue
                body += "<rect class=\"bar\" x=\"\(f(x))\" y=\"\(f(top + plotHeight - h))\" width=\"\(f(barWidth - 1))\" height=\"\(f(h))\" "
                    + "fill=\"\(palette[bar.series % palette.count])\"><title>\(escape(bar.group)) · \(escape(bar.label)): \(escape(format(bar.value)))</title></rect>"
                x += barWidth
            }
            let center = x - Double(members.count) * barWidth / 2
            body += "<text x=\"\(f(center))\" y=\"\(f(top + plotHeight + 14))\" font-size=\"10\" text-anchor=\"end\" "
                + "transform=\"rotate(-35 \(f(center)) \(f(top + plotHeight + 14)))\">\(escape(truncate(group, 28)))</text>"
            x += gap
        }
        return svg(id: id, width: width, height: top + plotHeight + 90, body: body + legend(seriesNames, x: left, y: 12))
    }

    /// Lines over a shared x axis (training steps), the y axis spanning the values shown, so
    /// a loss that falls from 2.4 to 1.6 fills the plot instead of its top third.
    static func lines(id: String, _ series: [Series], xLabel: String, legend names: [String]) -> String {
        let points = series.flatMap(\.points)
        let plotHeight = 180.0, plotWidth = 560.0, top = 24.0, left = 48.0
        let (minX, maxX) = (points.map(\.x).min() ?? 0, max(points.map(\.x).max() ?? 1, (points.map(\.x).min() ?? 0) + 1e-9))
        let lowest = points.map(\.y).min() ?? 0, highest = points.map(\.y).max() ?? 1
        let pad = max((highest - lowest) * 0.05, 1e-6)
        let (minY, maxY) = (lowest - pad, highest + pad)
        var body = axis(left: left, top: top, height: plotHeight, width: left + plotWidth + 10, minValue: minY, maxValue: maxY) { String(format: "%.2f", $0) }
        for line in series {
            let coordinates = line.points.map { p in
                "\(f(left + plotWidth * (p.x - minX) / (maxX - minX))),\(f(top + plotHeight - plotHeight * (p.y - minY) / (maxY - minY)))"
            }.joined(separator: " ")
            body += "<polyline class=\"series\" fill=\"none\" stroke=\"\(palette[line.color % palette.count])\" stroke-width=\"2\""
                + (line.dashed ? " stroke-dasharray=\"5 3\"" : "") + " points=\"\(coordinates)\"><title>\(escape(line.name))</title></polyline>"
        }
        body += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(top + plotHeight + 30))\" font-size=\"11\" text-anchor=\"middle\">"
            + "\(escape(xLabel)) \(Int(minX))–\(Int(maxX)) (dashed: validation)</text>"
        return svg(id: id, width: max(left + plotWidth + 20, left + legendWidth(names) + 10), height: top + plotHeight + 44,
                   body: body + legend(names, x: left, y: 12))
    }

    private static func axis(left: Double, top: Double, height: Double, width: Double, minValue: Double = 0, maxValue: Double,
                             format: (Double) -> String) -> String {
        var body = "<line x1=\"\(f(left))\" y1=\"\(f(top + height))\" x2=\"\(f(width - 10))\" y2=\"\(f(top + height))\" stroke=\"#999\"/>"
        for step in 0...4 {
            let value = minValue + (maxValue - minValue) * Double(step) / 4
            let y = top + height - height * Double(step) / 4
            body += "<line x1=\"\(f(left - 3))\" y1=\"\(f(y))\" x2=\"\(f(width - 10))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
                + "<text x=\"\(f(left - 5))\" y=\"\(f(y + 3))\" font-size=\"10\" text-anchor=\"end\">\(escape(format(value)))</text>"
        }
        return body
    }

    private static func legendWidth(_ names: [String]) -> Double { names.reduce(0) { $0 + Double($1.count) * 6.5 + 26 } }

    private static func legend(_ names: [String], x: Double, y: Double) -> String {
        var offset = x
        return names.enumerated().map { index, name in
            defer { offset += Double(name.count) * 6.5 + 26 }
            return "<rect x=\"\(f(offset))\" y=\"\(f(y - 9))\" width=\"10\" height=\"10\" fill=\"\(palette[index % palette.count])\"/>"
                + "<text x=\"\(f(offset + 14))\" y=\"\(f(y))\" font-size=\"11\">\(escape(name))</text>"
        }.joined()
    }

    private static func svg(id: String, width: Double, height: Double, body: String) -> String {
        "<svg class=\"chart\" data-chart=\"\(escape(id))\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\">\(body)</svg>"
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    static func truncate(_ text: String, _ count: Int) -> String { text.count > count ? String(text.prefix(count - 1)) + "…" : text }

    /// Text made safe for HTML and SVG.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
