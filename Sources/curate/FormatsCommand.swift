import ArgumentParser
import CurateIngest

struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "List the input presets, each with a one-line example record.",
        discussion: """
            Without --preset, `curate ingest` detects each file's preset from its first bytes.

            Example:
              curate formats
            """)

    func run() {
        for preset in Preset.all {
            print("\(preset.name)  (\(preset.container.name))")
            print("  \(preset.summary)")
            print("  e.g. \(preset.example)")
        }
    }
}
