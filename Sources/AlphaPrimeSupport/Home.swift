import Foundation

/// The directory a run lives in: `config/`, `data/`, `logs/`, `reports/`, `backups/`, `var/`.
///
/// Chosen by `--home`, else `ALPHA_PRIME_HOME`, else the nearest directory above the current
/// one (or above the executable) that holds `config/general_config.yaml`. Cron, tests and a second
/// account can each run an isolated home.
public struct AlphaPrimeHome: Sendable, Equatable {
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    public var configDirectory: URL { root.appending(path: "config", directoryHint: .isDirectory) }
    public var dataDirectory: URL { root.appending(path: "data", directoryHint: .isDirectory) }
    public var logsDirectory: URL { root.appending(path: "logs", directoryHint: .isDirectory) }
    public var reportsDirectory: URL { root.appending(path: "reports", directoryHint: .isDirectory) }
    public var backupsDirectory: URL { root.appending(path: "backups", directoryHint: .isDirectory) }
    public var varDirectory: URL { root.appending(path: "var", directoryHint: .isDirectory) }
    public var envFile: URL { root.appending(path: ".env") }

    /// Resolves the home from an explicit path, the environment, or the surroundings.
    public static func resolve(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executablePath: String? = CommandLine.arguments.first
    ) -> AlphaPrimeHome {
        if let explicit, !explicit.isEmpty {
            return AlphaPrimeHome(root: URL(filePath: explicit, directoryHint: .isDirectory, relativeTo: URL(filePath: currentDirectory, directoryHint: .isDirectory)))
        }
        if let env = environment["ALPHA_PRIME_HOME"], !env.isEmpty {
            return AlphaPrimeHome(root: URL(filePath: env, directoryHint: .isDirectory, relativeTo: URL(filePath: currentDirectory, directoryHint: .isDirectory)))
        }
        var starts = [URL(filePath: currentDirectory, directoryHint: .isDirectory)]
        if let executablePath {
            let exe = URL(filePath: executablePath, relativeTo: URL(filePath: currentDirectory, directoryHint: .isDirectory))
            starts.append(exe.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for start in starts {
            var dir = start.standardizedFileURL
            while true {
                if FileManager.default.fileExists(atPath: dir.appending(path: "config/general_config.yaml").path) {
                    return AlphaPrimeHome(root: dir)
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return AlphaPrimeHome(root: URL(filePath: currentDirectory, directoryHint: .isDirectory))
    }
}
