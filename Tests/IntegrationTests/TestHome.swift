import Foundation

/// A throwaway ALPHA-PRIME home: a temporary directory with a copy of the repository's config/.
struct TestHome {
    let root: URL

    static var repositoryRoot: URL {
        URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    init(copyConfig: Bool = true) throws {
        root = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        if copyConfig {
            try FileManager.default.copyItem(at: Self.repositoryRoot.appending(path: "config"), to: root.appending(path: "config"))
        }
    }

    var config: URL { root.appending(path: "config") }

    func path(_ relative: String) -> URL { root.appending(path: relative) }

    /// Replaces the first occurrence of `old` with `new` in a file of the home.
    func edit(_ relative: String, replacing old: String, with new: String) throws {
        let url = path(relative)
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let range = text.range(of: old) else { throw EditError(file: relative, missing: old) }
        try text.replacingCharacters(in: range, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    /// 1-based line number of the first line containing `needle`.
    func line(of needle: String, in relative: String) throws -> Int? {
        let text = try String(contentsOf: path(relative), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }.map { $0 + 1 }
    }

    /// Writes `.env` with the given text and permissions.
    func writeDotEnv(_ text: String, mode: Int = 0o600) throws {
        let url = path(".env")
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    /// The environment for a tool run in this home: no inherited DATABASE_URL or secrets.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            ["PATH", "HOME", "LANG", "TMPDIR"].contains(key)
        }
        env["ALPHA_PRIME_HOME"] = root.path
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs a built tool in this home (through ALPHA_PRIME_HOME, from the home's directory).
    func run(_ tool: String, _ arguments: [String] = [], environment extra: [String: String] = [:]) throws -> ToolProcess.Result {
        try ToolProcess.run(tool, arguments, environment: environment(extra), currentDirectory: root)
    }

    /// Every file under `logs/` with its text, by name.
    func logFiles() throws -> [String: String] {
        let logs = path("logs")
        guard FileManager.default.fileExists(atPath: logs.path) else { return [:] }
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: logs.path) {
            files[name] = String(decoding: try Data(contentsOf: logs.appending(path: name)), as: UTF8.self)
        }
        return files
    }

    /// The JSON objects of `logs/alpha_prime.log`, one per line; throws when a line is not one.
    func logRecords(_ file: String = "alpha_prime.log") throws -> [[String: Any]] {
        let text = try logFiles()[file] ?? ""
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw NotJSON(line: String(line))
            }
            return object
        }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    struct EditError: Error, CustomStringConvertible {
        let file: String, missing: String
        var description: String { "\(file) does not contain '\(missing)'" }
    }

    struct NotJSON: Error, CustomStringConvertible {
        let line: String
        var description: String { "not a JSON object: \(line)" }
    }
}

extension ToolProcess.Result {
    /// Standard output and standard error together, for "never prints X" checks.
    var output: String { stdout + stderr }
    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}
