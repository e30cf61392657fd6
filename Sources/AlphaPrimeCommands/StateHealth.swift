import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import Foundation

/// Health checks of the state database: reachable, migrated, kill switches, and (not under
/// `--fast`) the integrity scan.
public enum StateHealth {
    /// Reports what a trader must know before the session. `open` gives the connection (the probes
    /// share one); a missing SQLite file is reported, never created.
    public static func check(url: DatabaseURL, open: () throws -> any SQLDatabase, now: UTCTimestamp = .now()) -> [HealthFinding] {
        if case .sqlite(let path) = url, path != ":memory:", !FileManager.default.fileExists(atPath: path) {
            return [.failure("database", "\(url) does not exist; create it with: db-maintenance migrate")]
        }
        let database: any SQLDatabase
        do {
            database = try open()
        } catch {
            let text = "\(error)"
            return [.failure("database", text.contains(url.description) ? text : "\(url): \(text)")]
        }
        var findings: [HealthFinding] = [.ok("database", "\(url.backend.displayName) at \(url)")]
        do {
            let status = try Migrator(database: database).status()
            if !status.mismatched.isEmpty || !status.unknown.isEmpty {
                let versions = (status.mismatched + status.unknown).map { String($0.version) }.joined(separator: ", ")
                findings.append(.failure("migrations", "applied migration(s) \(versions) differ from this build; see db-maintenance status"))
            } else if !status.pending.isEmpty {
                let versions = status.pending.map { String($0.version) }.joined(separator: ", ")
                findings.append(.failure("migrations", "\(status.pending.count) pending (\(versions)); run: db-maintenance migrate"))
            } else {
                findings.append(.ok("migrations", "up to date (\(status.applied.count) applied)"))
                findings.append(contentsOf: killSwitches(StateRepository(database: database), now: now))
            }
        } catch {
            findings.append(.failure("migrations", "\(error)"))
        }
        return findings
    }

    /// The integrity scan's lines (`integrity: …`); none when the database cannot be opened (the
    /// database line says why).
    public static func integrity(_ database: (any SQLDatabase)?) -> [HealthFinding] {
        guard let database else { return [] }
        return StoreIntegrity.check(database).map { finding in
            finding.ok ? .ok("integrity: \(finding.check)", finding.detail) : .failure("integrity: \(finding.check)", finding.detail)
        }
    }

    static func killSwitches(_ repository: StateRepository, now: UTCTimestamp) -> [HealthFinding] {
        var findings: [HealthFinding] = []
        for mode in [TradingMode.paper, .live] {
            do {
                guard let state = try repository.engineState(mode: mode) else { continue }
                if state.killSwitch {
                    let by = state.killSwitchBy.map { " by \($0)" } ?? ""
                    let why = state.killSwitchReason.map { ": \($0)" } ?? ""
                    findings.append(.warning("kill switch (\(mode.rawValue))",
                                             "SET\(by)\(why); clear only with: engine reset-kill-switch --confirm"))
                } else {
                    findings.append(.ok("kill switch (\(mode.rawValue))", "clear"))
                }
            } catch {
                findings.append(.failure("engine state (\(mode.rawValue))", "\(error)"))
            }
        }
        return findings
    }
}
