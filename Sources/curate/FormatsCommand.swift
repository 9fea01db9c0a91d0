import ArgumentParser
import CurateIngest

struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "List the input presets, each with a one-line example record.",
        discussion: "Example:\n  curate formats")

    func run() {
        for preset in Preset.all {
            print("\(preset.name)  (\(preset.container.rawValue))")
            print("  \(preset.summary)")
            print("  e.g. \(preset.example)")
        }
    }
}
