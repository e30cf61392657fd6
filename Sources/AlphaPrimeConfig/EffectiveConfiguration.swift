import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Yams

/// A configuration value as a plain, ordered tree, for printing the effective configuration
/// as YAML or JSON with secrets masked.
public indirect enum ConfigTree: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case list([ConfigTree])
    case map([(String, ConfigTree)])

    public static func == (a: ConfigTree, b: ConfigTree) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.integer(x), .integer(y)): x == y
        case let (.number(x), .number(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.list(x), .list(y)): x == y
        case let (.map(x), .map(y)): x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: false
        }
    }

    /// Encodes any `Encodable` value into a tree, keeping key order.
    public init(encoding value: some Encodable) throws {
        let root = TreeNode()
        try root.set(value, path: [])
        self = root.tree
    }

    /// The same tree with every secret replaced by the mask: values under secret keys (`api_key`,
    /// `access_token`, `password`, …) and the password inside any URL. Empty secrets stay empty,
    /// so an unset key shows as unset.
    public func maskingSecrets() -> ConfigTree {
        switch self {
        case let .map(entries):
            return .map(entries.map { key, value in
                if SecretNames.isSecretKey(key) { return (key, value.masked()) }
                return (key, value.maskingSecrets())
            })
        case let .list(items):
            return .list(items.map { $0.maskingSecrets() })
        case let .string(text):
            return .string(SecretNames.maskingURLPassword(text))
        default:
            return self
        }
    }

    private func masked() -> ConfigTree {
        switch self {
        case .null: .null
        case let .string(s) where s.isEmpty: .string("")
        case let .list(items): .list(items.map { $0.masked() })
        case let .map(entries): .map(entries.map { ($0.0, $0.1.masked()) })
        default: .string(SecretNames.mask)
        }
    }

    // MARK: Rendering

    /// Block-style YAML.
    public func yaml() throws -> String {
        try Yams.serialize(node: node(), indent: 2, width: -1, allowUnicode: true)
    }

    private func node() -> Node {
        switch self {
        case .null: Node("null", Tag(.null))
        case let .bool(b): Node(b ? "true" : "false", Tag(.bool))
        case let .integer(i): Node(String(i), Tag(.int))
        case let .number(d): Node(ConfigTree.format(d), Tag(.float))
        case let .string(s):
            // Quote text a YAML reader would take for something else (15:30, 2026-08-03, 1000000.00, true).
            Resolver.default.resolveTag(of: Node(s)) == .str && !s.isEmpty
                ? Node(s, Tag(.str)) : Node(s, Tag(.str), .singleQuoted)
        case let .list(items): Node(items.map { $0.node() })
        case let .map(entries): Node(entries.map { (Node($0.0, Tag(.str)), $0.1.node()) })
        }
    }

    /// Pretty-printed JSON, keys in configuration order.
    public func json(indent: String = "  ") -> String {
        var out = ""
        write(json: &out, indent: indent, level: 0)
        return out
    }

    private func write(json out: inout String, indent: String, level: Int) {
        let pad = String(repeating: indent, count: level + 1), closePad = String(repeating: indent, count: level)
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .integer(i): out += String(i)
        case let .number(d): out += d.isFinite ? ConfigTree.format(d) : "null"
        case let .string(s): out += ConfigTree.jsonString(s)
        case let .list(items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(json: &out, indent: indent, level: level + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case let .map(entries):
            if entries.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in entries.enumerated() {
                out += pad + ConfigTree.jsonString(key) + ": "
                value.write(json: &out, indent: indent, level: level + 1)
                out += i == entries.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        }
    }

    static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(format: "%.1f", d) }
        return "\(d)"
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension AlphaPrimeConfiguration {
    /// The effective configuration as a tree with every secret masked.
    public func maskedTree() throws -> ConfigTree { try ConfigTree(encoding: self).maskingSecrets() }

    /// The effective configuration as YAML, secrets masked.
    public func effectiveYAML() throws -> String { try maskedTree().yaml() }

    /// The effective configuration as JSON, secrets masked.
    public func effectiveJSON() throws -> String { try maskedTree().json() }
}

// MARK: - Encoder into a ConfigTree

/// A tree under construction: nested containers keep writing into their node after the parent
/// has stored it.
final class TreeNode {
    enum Content {
        case value(ConfigTree)
        case map([(String, TreeNode)])
        case list([TreeNode])
    }

    var content: Content = .value(.null)

    var tree: ConfigTree {
        switch content {
        case let .value(tree): tree
        case let .map(entries): .map(entries.map { ($0.0, $0.1.tree) })
        case let .list(items): .list(items.map(\.tree))
        }
    }

    func makeMap() { if case .map = content {} else { content = .map([]) } }
    func makeList() { if case .list = content {} else { content = .list([]) } }

    func child(_ key: String) -> TreeNode {
        makeMap()
        guard case var .map(entries) = content else { return TreeNode() }
        if let existing = entries.first(where: { $0.0 == key }) { return existing.1 }
        let node = TreeNode()
        entries.append((key, node))
        content = .map(entries)
        return node
    }

    func appendChild() -> TreeNode {
        makeList()
        guard case var .list(items) = content else { return TreeNode() }
        let node = TreeNode()
        items.append(node)
        content = .list(items)
        return node
    }

    var count: Int { if case let .list(items) = content { items.count } else { 0 } }

    func set(_ value: some Encodable, path: [CodingKey]) throws {
        switch value {
        case let v as Bool: content = .value(.bool(v))
        case let v as String: content = .value(.string(v))
        case let v as Double: content = .value(.number(v))
        case let v as Float: content = .value(.number(Double(v)))
        case let v as any BinaryInteger: content = .value(.integer(Int64(v)))
        default: try value.encode(to: TreeEncoder(node: self, path: path))
        }
    }
}

final class TreeEncoder: Encoder {
    let node: TreeNode
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: TreeNode = TreeNode(), path: [CodingKey]) {
        self.node = node
        self.codingPath = path
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeMap()
        return KeyedEncodingContainer(TreeKeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        node.makeList()
        return TreeUnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { TreeSingleContainer(node: node, codingPath: codingPath) }
}

struct TreeKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: TreeNode
    let codingPath: [CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.child(key.stringValue).content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try node.child(key.stringValue).set(value, path: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(node: node.child(key.stringValue), path: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        TreeEncoder(node: node.child(key.stringValue), path: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { TreeEncoder(node: node.child("super"), path: codingPath) }
    mutating func superEncoder(forKey key: Key) -> Encoder { TreeEncoder(node: node.child(key.stringValue), path: codingPath + [key]) }
}

struct TreeUnkeyedContainer: UnkeyedEncodingContainer {
    let node: TreeNode
    let codingPath: [CodingKey]
    var count: Int { node.count }

    mutating func encodeNil() throws { node.appendChild().content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [IndexKey(count)]
        try node.appendChild().set(value, path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(node: node.appendChild(), path: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        TreeEncoder(node: node.appendChild(), path: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { TreeEncoder(node: node.appendChild(), path: codingPath) }
}

struct TreeSingleContainer: SingleValueEncodingContainer {
    let node: TreeNode
    let codingPath: [CodingKey]

    mutating func encodeNil() throws { node.content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws { try node.set(value, path: codingPath) }
}
