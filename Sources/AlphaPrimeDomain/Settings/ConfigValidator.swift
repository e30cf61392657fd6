/// Collects validation problems for one decoded file, naming the line of each key path.
///
/// A check on a path that already failed to decode (wrong type, missing, unknown variable) is
/// skipped: the decoder has reported it, and the value there is only a placeholder.
public struct ConfigValidator {
    public let file: String
    let lines: [String: Int]
    let brokenPaths: Set<String>
    public private(set) var issues: [ConfigIssue] = []

    public init(file: String, lines: [String: Int] = [:], brokenPaths: Set<String> = []) {
        self.file = file
        self.lines = lines
        self.brokenPaths = brokenPaths
    }

    /// The line of a key path, or of its nearest ancestor that has one.
    public func line(of path: String) -> Int? {
        var current: String? = path
        while let p = current {
            if let line = lines[p] { return line }
            current = ConfigKeyPath.parent(p)
        }
        return nil
    }

    /// Whether the path, one of its ancestors or one of its descendants failed to decode.
    public func isBroken(_ path: String) -> Bool {
        brokenPaths.contains { broken in
            ConfigKeyPath.isSelfOrAncestor(broken, of: path) || ConfigKeyPath.isSelfOrAncestor(path, of: broken)
        }
    }

    /// Records a problem at `path`, unless `path` or any path in `involving` failed to decode.
    public mutating func error(_ path: String, _ message: String, involving others: [String] = []) {
        guard !isBroken(path), !others.contains(where: isBroken) else { return }
        issues.append(ConfigIssue(file: file, line: line(of: path), keyPath: path, message: message))
    }

    /// Records a problem at `path` when `condition` is false.
    public mutating func check(_ condition: Bool, _ path: String, _ message: @autoclosure () -> String,
                               involving others: [String] = []) {
        if !condition { error(path, message(), involving: others) }
    }

    // MARK: Common checks

    /// A percentage in (0, `max`].
    public mutating func percent(_ value: Double, _ path: String, max: Double = 100, allowZero: Bool = false) {
        if allowZero {
            check(value >= 0, path, "must be 0 or more, got \(Self.format(value))")
        } else {
            check(value > 0, path, "must be greater than 0, got \(Self.format(value))")
        }
        check(value <= max, path, "must be at most \(Self.format(max)), got \(Self.format(value))")
    }

    public mutating func positive(_ value: some BinaryInteger, _ path: String) {
        check(value > 0, path, "must be greater than 0, got \(value)")
    }

    public mutating func nonNegative(_ value: some BinaryInteger, _ path: String) {
        check(value >= 0, path, "must be 0 or more, got \(value)")
    }

    public mutating func nonEmpty(_ value: String, _ path: String) {
        check(!value.trimmingCharacters(in: .whitespaces).isEmpty, path, "must not be empty")
    }

    /// Reports every value that appears more than once in `items`, at the later occurrence.
    public mutating func unique<T: Hashable>(_ items: [T], path: (Int) -> String, describe: (T) -> String) {
        var first: [T: Int] = [:]
        for (i, item) in items.enumerated() {
            if let earlier = first[item] {
                let where_ = line(of: path(earlier)).map { "line \($0)" } ?? "item \(earlier + 1)"
                error(path(i), "\(describe(item)) is listed twice (also at \(where_))")
            } else {
                first[item] = i
            }
        }
    }

    /// `12.5`, `2`, `0.25`: a number as a trader writes it.
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

import AlphaPrimeSupport
import Foundation
