import Foundation

/// What the CPU and the kernel offer, read from /proc/cpuinfo's `flags`. The kernel lists a
/// flag only when it also saves that register state, so "avx512f" there means AVX-512 is
/// usable, which a bare CPUID check would not tell.
struct CPUFeatures {
    let flags: Set<Substring>

    var avx512f: Bool { flags.contains("avx512f") }

    static let current = CPUFeatures(cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")

    init(cpuinfo: String) {
        let line = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        flags = Set(line.drop { $0 != ":" }.dropFirst().split(separator: " "))
    }
}
