import ArgumentParser
import Foundation

/// `--help` text that can be copied: ArgumentParser wraps every line at the terminal width, so
/// a long example breaks mid-option (`--temperature` / `2`) and no longer pastes. curate has the
/// help laid out unwrapped and wraps it itself, leaving example lines (`curate …`) and tables
/// whole and giving option descriptions a hanging indent.
enum HelpLayout {
    /// The width to wrap prose at: the user's COLUMNS, else the terminal's, else 80.
    static let width: Int = {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 20 { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        return 80
    }()

    /// ArgumentParser's own layout column for option descriptions.
    static let optionColumn = 26

    /// Makes ArgumentParser lay help out on unwrapped lines; call before parsing.
    static func unwrapArgumentParser() {
        _ = width
        setenv("COLUMNS", "100000", 1)
    }

    static func wrap(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { wrapLine(String($0)) }.joined(separator: "\n")
    }

    static func wrapLine(_ line: String) -> String {
        let trimmed = line.drop { $0 == " " }
        let leading = line.count - trimmed.count
        // Examples and the indented tables of the discussions stay on one line, however long;
        // option lines (`  --flag  text`) wrap under their description column.
        if line.count <= width || (leading > 0 && !trimmed.hasPrefix("-")) {
            return line
        }
        let indent = trimmed.hasPrefix("-") && leading > 0 ? optionColumn : leading
        var lines: [String] = []
        var rest = Substring(line)
        var floor = leading
        while rest.count > width {
            let limit = rest.index(rest.startIndex, offsetBy: width)
            let start = rest.index(rest.startIndex, offsetBy: floor + 1)
            guard start < limit, let space = rest[start..<limit].lastIndex(of: " ") else { break }
            lines.append(String(rest[..<space]).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
            rest = Substring(String(repeating: " ", count: indent) + rest[rest.index(after: space)...].drop { $0 == " " })
            floor = indent
        }
        lines.append(String(rest))
        return lines.joined(separator: "\n")
    }
}

extension Curate {
    /// ArgumentParser's `main`, with help and version text laid out by `HelpLayout`.
    static func main() {
        HelpLayout.unwrapArgumentParser()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .success else { exit(withError: error) }
            print(HelpLayout.wrap(fullMessage(for: error)))
            exit(withError: ExitCode.success)
        }
    }
}
