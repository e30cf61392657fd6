import AlphaPrimeSupport
import AlphaPrimeDomain
import Yams

/// A `Decoder` over one `Yams.Node`. Records which keys of its mapping were asked for, so that
/// keys nobody asked for can be reported as unknown once the type has finished decoding.
///
/// In `quiet` mode it makes placeholder values: every key is absent, every list empty, nothing
/// is reported.
final class NodeDecoder: Decoder {
    let session: ConfigDecodingSession
    let node: Node
    let codingPath: [CodingKey]
    /// The line to name for this value: the line of its key in the parent mapping.
    let keyLine: Int?
    let quiet: Bool
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    private var tracker: MappingTracker?

    init(session: ConfigDecodingSession, node: Node, codingPath: [CodingKey], keyLine: Int?, quiet: Bool = false) {
        self.session = session
        self.node = node
        self.codingPath = codingPath
        self.keyLine = keyLine
        self.quiet = quiet
    }

    var line: Int? { keyLine ?? node.mark?.line }
    var pathText: String { ConfigKeyPath.render(codingPath) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if tracker == nil { tracker = makeTracker() }
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(decoder: self, tracker: tracker!))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        if quiet { return UnkeyedNodeContainer(decoder: self, items: []) }
        guard case let .sequence(sequence) = node else {
            session.report(pathText, line: line, "expected a list, got \(session.isNull(node) ? "nothing" : ConfigDecodingSession.describe(node))")
            return UnkeyedNodeContainer(decoder: self, items: [])
        }
        return UnkeyedNodeContainer(decoder: self, items: Array(sequence))
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { SingleNodeContainer(decoder: self) }

    private func makeTracker() -> MappingTracker {
        if quiet { return MappingTracker(entries: [], suppressed: true, line: nil) }
        guard case let .mapping(mapping) = node else {
            let got = session.isNull(node) ? "nothing" : ConfigDecodingSession.describe(node)
            session.report(pathText, line: line, "expected a mapping (key: value lines), got \(got)")
            return MappingTracker(entries: [], suppressed: true, line: line)
        }
        var entries: [MappingTracker.Entry] = []
        var merged: [MappingTracker.Entry] = []
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key else {
                session.report(pathText, line: key.mark?.line, "a key must be a plain word, got \(ConfigDecodingSession.describe(key))")
                continue
            }
            if scalar.string == "<<" {
                // YAML merge key: `<<: *defaults` brings in keys not written here.
                let sources: [Node] = if case let .sequence(list) = value { Array(list) } else { [value] }
                for source in sources {
                    guard case let .mapping(m) = source else { continue }
                    for (k, v) in m { if let s = k.scalar?.string { merged.append(.init(key: s, keyNode: k, value: v)) } }
                }
                continue
            }
            entries.append(.init(key: scalar.string, keyNode: key, value: value))
        }
        let explicit = Set(entries.map(\.key))
        var seen = Set<String>()
        for entry in merged where !explicit.contains(entry.key) && seen.insert(entry.key).inserted {
            entries.append(entry)
        }
        return MappingTracker(entries: entries, suppressed: false, line: line)
    }

    /// Reports missing keys and, when the type finished decoding, keys it never asked for.
    func finish(completed: Bool) {
        guard let tracker, !tracker.suppressed else { return }
        var explained = Set<String>()
        if completed {
            let absent = tracker.requested.filter { tracker.entry($0) == nil }
            for entry in tracker.entries where !tracker.requestedSet.contains(entry.key) {
                let path = ConfigKeyPath.child(pathText, entry.key)
                var message = "unknown key '\(entry.key)'"
                if let suggestion = ConfigSuggestion.closest(to: entry.key, among: absent)
                    ?? ConfigSuggestion.closest(to: entry.key, among: tracker.requested) {
                    message += "; did you mean '\(suggestion)'?"
                    if tracker.missing.contains(suggestion), explained.insert(suggestion).inserted {
                        message += " (the required key '\(suggestion)' is missing)"
                        session.markBroken(ConfigKeyPath.child(pathText, suggestion))
                    }
                } else if !tracker.requested.isEmpty, tracker.requested.count <= 16 {
                    message += " (expected one of: \(tracker.requested.joined(separator: ", ")))"
                }
                session.report(path, line: entry.keyNode.mark?.line, message)
            }
        }
        for key in tracker.missing where !explained.contains(key) {
            session.report(ConfigKeyPath.child(pathText, key), line: tracker.line, "missing required key '\(key)'")
        }
        tracker.missing.removeAll()
    }
}

/// The keys of one mapping and which of them the decoding type asked for.
final class MappingTracker {
    struct Entry {
        var key: String
        var keyNode: Node
        var value: Node
    }

    let entries: [Entry]
    private let index: [String: Int]
    let suppressed: Bool
    let line: Int?
    private(set) var requested: [String] = []
    private(set) var requestedSet: Set<String> = []
    var missing: [String] = []

    init(entries: [Entry], suppressed: Bool, line: Int?) {
        self.entries = entries
        self.suppressed = suppressed
        self.line = line
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() where index[e.key] == nil { index[e.key] = i }
        self.index = index
    }

    func entry(_ key: String) -> Entry? { index[key].map { entries[$0] } }

    func request(_ key: String) {
        if requestedSet.insert(key).inserted { requested.append(key) }
    }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let tracker: MappingTracker

    var codingPath: [CodingKey] { decoder.codingPath }
    var session: ConfigDecodingSession { decoder.session }
    var allKeys: [Key] { tracker.entries.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool {
        tracker.request(key.stringValue)
        return tracker.entry(key.stringValue) != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        tracker.request(key.stringValue)
        guard let entry = tracker.entry(key.stringValue) else { return true }
        return session.isNull(entry.value)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        tracker.request(key.stringValue)
        let path = codingPath + [key]
        guard let entry = tracker.entry(key.stringValue) else {
            if !tracker.suppressed, !decoder.quiet, !tracker.missing.contains(key.stringValue) {
                tracker.missing.append(key.stringValue)
            }
            session.markBroken(ConfigKeyPath.render(path))
            return try session.placeholder(T.self, path: path)
        }
        let line = entry.keyNode.mark?.line
        if let line { session.lines[ConfigKeyPath.render(path)] = line }
        return try session.decode(T.self, from: entry.value, path: path, keyLine: line)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        tracker.request(key.stringValue)
        guard let entry = tracker.entry(key.stringValue) else { return nil }
        let path = codingPath + [key]
        if let line = entry.keyNode.mark?.line { session.lines[ConfigKeyPath.render(path)] = line }
        if session.isNull(entry.value) { return nil }
        return try decode(T.self, forKey: key)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type, key) }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decode(type, forKey: key) as T
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> {
        try childDecoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try childDecoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> Decoder { childDecoder(key) }

    private func childDecoder(_ key: Key) -> NodeDecoder {
        tracker.request(key.stringValue)
        let path = codingPath + [key]
        guard let entry = tracker.entry(key.stringValue) else {
            if !tracker.suppressed, !decoder.quiet, !tracker.missing.contains(key.stringValue) {
                tracker.missing.append(key.stringValue)
            }
            return NodeDecoder(session: session, node: Node([(Node, Node)]()), codingPath: path, keyLine: nil, quiet: true)
        }
        return NodeDecoder(session: session, node: entry.value, codingPath: path,
                           keyLine: entry.keyNode.mark?.line, quiet: decoder.quiet)
    }
}

struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [Node]
    private(set) var currentIndex = 0

    init(decoder: NodeDecoder, items: [Node]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private func itemPath() -> [CodingKey] { codingPath + [IndexKey(currentIndex)] }

    private func current() throws -> Node {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Node.self, .init(codingPath: codingPath, debugDescription: "the list has no more items"))
        }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard decoder.session.isNull(try current()) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    mutating func decode(_ type: String.Type) throws -> String { try value(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try value(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try value(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try value(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }

    private mutating func value<T: Decodable>(_ type: T.Type) throws -> T {
        let node = try current()
        let path = itemPath()
        if let line = node.mark?.line { decoder.session.lines[ConfigKeyPath.render(path)] = line }
        let value = try decoder.session.decode(T.self, from: node, path: path, keyLine: node.mark?.line)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey> {
        let child = NodeDecoder(session: decoder.session, node: try current(), codingPath: itemPath(), keyLine: nil)
        currentIndex += 1
        return try child.container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let child = NodeDecoder(session: decoder.session, node: try current(), codingPath: itemPath(), keyLine: nil)
        currentIndex += 1
        return try child.unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let child = NodeDecoder(session: decoder.session, node: try current(), codingPath: itemPath(), keyLine: nil)
        currentIndex += 1
        return child
    }
}

struct SingleNodeContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder

    var codingPath: [CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.quiet || decoder.session.isNull(decoder.node) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }

    private func value<T: Decodable>(_ type: T.Type) throws -> T {
        if decoder.quiet { return try decoder.session.placeholder(T.self, path: codingPath) }
        return try decoder.session.decode(T.self, from: decoder.node, path: codingPath, keyLine: decoder.keyLine)
    }

    func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    func decode(_ type: String.Type) throws -> String { try value(type) }
    func decode(_ type: Double.Type) throws -> Double { try value(type) }
    func decode(_ type: Float.Type) throws -> Float { try value(type) }
    func decode(_ type: Int.Type) throws -> Int { try value(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }
}
