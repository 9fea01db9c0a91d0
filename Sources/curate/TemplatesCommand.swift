import ArgumentParser
import CurateTemplates
import Foundation

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "List or show the instruction templates (built into curate, or a folder's).",
        discussion: """
            curate carries its templates (templates/*.yaml of the repository) inside the binary, \
            so `curate render` works from any folder. --templates DIR shows a folder's instead: \
            the same one `curate render --templates DIR` would use.

            Examples:
              curate templates list
              curate templates show rating
              curate templates show summarize --templates my-templates/ > summarize.yaml
            """,
        subcommands: [List.self, Show.self])

    struct Source: ParsableArguments {
        @Option(help: ArgumentHelp("A folder of TASK.yaml files instead of the built-in templates.", valueName: "DIR"))
        var templates: String?

        func library() throws -> TemplateLibrary {
            try TemplateLibrary.load(directory: templates.map { URL(fileURLWithPath: $0) })
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each task with its phrasings, inverted phrasings and answer options.",
            discussion: """
                Example:
                  curate templates list
                """)

        @OptionGroup var source: Source

        func run() throws {
            try reportingErrors {
                let library = try source.library()
                print("templates: \(library.origin)")
                print(Console.table(["task", "phrasings", "inverted", "options", "description"], library.sets.keys.sorted().map { task in
                    let set = library.sets[task]!
                    return [task, "\(set.templates.count)", "\(set.templates.filter(\.inverted).count)",
                            set.options.isEmpty ? "-" : set.options.joined(separator: ","), set.description]
                }))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a task's template file (YAML), e.g. to copy and edit it.",
            discussion: """
                Example:
                  curate templates show ner
                """)

        @Argument(help: ArgumentHelp("The task.", valueName: "TASK"))
        var task: String

        @OptionGroup var source: Source

        func run() throws {
            try reportingErrors {
                let library = try source.library()
                _ = try library.sets(for: [task])
                print(library.sources[task]!, terminator: library.sources[task]!.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}
