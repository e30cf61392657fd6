import Foundation
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

/// A throwaway home holding a copy of the repository's `config/`, to break on purpose.
final class ConfigTestHome {
    let root: URL
    var home: AlphaPrimeHome { AlphaPrimeHome(root: root) }

    /// The repository's own `config/` directory.
    static var repositoryConfig: URL {
        URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appending(path: "config", directoryHint: .isDirectory)
    }

    static var repositoryRoot: URL { repositoryConfig.deletingLastPathComponent() }

    init() throws {
        root = FileManager.default.temporaryDirectory
            .appending(path: "alpha-prime-config-\(UUID().uuidString)", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.repositoryConfig, to: root.appending(path: "config"))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func url(_ relative: String) -> URL { root.appending(path: "config/\(relative)") }

    func read(_ relative: String) throws -> String { try String(contentsOf: url(relative), encoding: .utf8) }

    func write(_ relative: String, _ text: String) throws {
        try text.write(to: url(relative), atomically: true, encoding: .utf8)
    }

    /// Replaces `old` (which must occur exactly once) with `new` in a config file; returns the
    /// 1-based line where the replacement starts.
    @discardableResult
    func replace(_ relative: String, _ old: String, with new: String) throws -> Int {
        let text = try read(relative)
        let parts = text.components(separatedBy: old)
        precondition(parts.count == 2, "'\(old)' occurs \(parts.count - 1) times in \(relative)")
        try write(relative, parts[0] + new + parts[1])
        return parts[0].filter { $0 == "\n" }.count + 1
    }

    /// The 1-based line of the first line containing `needle`.
    func line(of needle: String, in relative: String) throws -> Int {
        let lines = try read(relative).components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: { $0.contains(needle) }) else {
            preconditionFailure("'\(needle)' not found in \(relative)")
        }
        return index + 1
    }

    func writeDotEnv(_ text: String, mode: Int = 0o600) throws {
        let url = root.appending(path: ".env")
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    func load(environment: [String: String] = [:], riskPreset: String? = nil, allPresets: Bool = true) throws -> AlphaPrimeConfiguration {
        try AlphaPrimeConfiguration.load(home: home, environment: environment, riskPreset: riskPreset,
                                         checkAllRiskPresets: allPresets)
    }

    /// The issues loading reports (empty when it loads).
    func issues(environment: [String: String] = [:], riskPreset: String? = nil) -> [ConfigIssue] {
        do {
            _ = try load(environment: environment, riskPreset: riskPreset)
            return []
        } catch let error as ConfigError {
            return error.issues
        } catch {
            return [ConfigIssue(file: "?", line: nil, keyPath: "", message: "unexpected \(error)")]
        }
    }
}
