/// One regular-file member's header in a POSIX ustar archive (IEEE Std 1003.1, "ustar Interchange
/// Format"): a 512-byte block of fixed fields, numbers in octal, followed by the content padded
/// with zeros to a multiple of 512 bytes. An archive ends with two zero blocks.
///
/// Only what the archive files need is supported: regular files, owned by uid/gid 0, with a name
/// of up to 100 bytes, or up to 256 when it splits at a `/` into a prefix of at most 155 bytes and a
/// name of at most 100. Names are relative paths without empty, `.` or `..` components, so a member
/// can never be written outside the directory it is extracted into.
public struct TarHeader: Sendable, Hashable {
    /// The member's path inside the archive.
    public var name: String
    /// The content's length in bytes.
    public var size: UInt64
    /// Permission bits, e.g. 0o600 or 0o644.
    public var mode: UInt32
    /// Seconds since 1970-01-01T00:00:00Z.
    public var modificationTime: Int64

    public static let blockSize = 512
    /// The largest size the 11 octal digits of the size field hold (8 GiB - 1).
    public static let maximumSize: UInt64 = 0o77777777777

    public init(name: String, size: UInt64, mode: UInt32 = 0o600, modificationTime: Int64) {
        self.name = name
        self.size = size
        self.mode = mode
        self.modificationTime = modificationTime
    }

    /// The bytes of zero padding after a member of this size.
    var padding: Int { Int((UInt64(Self.blockSize) - size % UInt64(Self.blockSize)) % UInt64(Self.blockSize)) }

    /// The 512-byte header block, with its checksum.
    func encoded() throws -> [UInt8] {
        let (prefix, shortName) = try Self.split(name)
        guard size <= Self.maximumSize else {
            throw ArchiveError.invalidMember(name: name, reason: "\(size) bytes is over the ustar limit of \(Self.maximumSize)")
        }
        guard mode <= 0o7777 else { throw ArchiveError.invalidMember(name: name, reason: "mode \(String(mode, radix: 8)) is not a permission mode") }
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        func put(_ bytes: [UInt8], at offset: Int) { block.replaceSubrange(offset..<offset + bytes.count, with: bytes) }
        put(shortName, at: 0)
        put(Self.octal(UInt64(mode), width: 8), at: 100)
        put(Self.octal(0, width: 8), at: 108)
        put(Self.octal(0, width: 8), at: 116)
        put(Self.octal(size, width: 12), at: 124)
        put(Self.octal(UInt64(clamping: max(0, min(modificationTime, 0o77777777777))), width: 12), at: 136)
        block[156] = UInt8(ascii: "0")
        put(Array("ustar\u{0}00".utf8), at: 257)
        put(Self.octal(0, width: 8), at: 329)
        put(Self.octal(0, width: 8), at: 337)
        put(prefix, at: 345)
        let sum = block.withUnsafeBytes { Self.checksum(of: $0) }
        put(Self.octal(UInt64(sum), width: 7) + [0x20], at: 148)
        return block
    }

    /// Parses a header block; `offset` (of the block in the tar stream) and `source` go into errors.
    static func decode(_ block: UnsafeRawBufferPointer, offset: UInt64, source: String) throws -> TarHeader {
        let rawName = text(block, 0, 100), rawPrefix = text(block, 345, 155)
        let shownName = rawPrefix.isEmpty ? rawName : rawPrefix + "/" + rawName
        func damaged(_ reason: String) -> ArchiveError {
            .damaged(path: source, member: shownName.isEmpty ? nil : shownName, reason: "tar header at byte \(offset): \(reason)")
        }
        let magic = Array(block[257..<265])
        guard magic == Array("ustar\u{0}00".utf8) else {
            throw damaged(magic == Array("ustar  \u{0}".utf8) ? "a GNU tar header, not ustar" : "not a ustar header")
        }
        guard let stored = number(block, 148, 8), stored == UInt64(checksum(of: block)) else { throw damaged("checksum mismatch") }
        switch block[156] {
        case 0, UInt8(ascii: "0"): break
        case UInt8(ascii: "5"): throw damaged("a directory; only regular files are supported")
        case UInt8(ascii: "1"), UInt8(ascii: "2"): throw damaged("a link; only regular files are supported")
        case let type: throw damaged("type '\(Character(Unicode.Scalar(type)))'; only regular files are supported")
        }
        guard let mode = number(block, 100, 8), mode <= 0o7777 else { throw damaged("bad mode field") }
        guard let size = number(block, 124, 12) else { throw damaged("bad size field") }
        guard let mtime = number(block, 136, 12) else { throw damaged("bad mtime field") }
        guard block[0..<100].contains(where: { $0 != 0 }), String(validating: bytes(block, 0, 100), as: UTF8.self) != nil,
              String(validating: bytes(block, 345, 155), as: UTF8.self) != nil
        else { throw damaged("the name is empty or not UTF-8") }
        do { _ = try split(shownName) } catch { throw damaged("unsafe name") }
        return TarHeader(name: shownName, size: size, mode: UInt32(mode), modificationTime: Int64(mtime))
    }

    /// The (prefix, name) fields for `name`; throws when tar cannot hold it or it is not a safe
    /// relative path.
    static func split(_ name: String) throws -> (prefix: [UInt8], name: [UInt8]) {
        let bytes = Array(name.utf8)
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !bytes.isEmpty, !bytes.contains(0),
              components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
        else { throw ArchiveError.invalidMember(name: name, reason: "not a relative path without empty, '.' or '..' parts") }
        if bytes.count <= 100 { return ([], bytes) }
        let slash = UInt8(ascii: "/")
        if let cut = bytes.indices.last(where: { $0 <= 155 && bytes[$0] == slash }), bytes.count - cut - 1 <= 100 {
            return (Array(bytes[..<cut]), Array(bytes[(cut + 1)...]))
        }
        throw ArchiveError.invalidMember(
            name: name, reason: "too long for ustar (at most 100 bytes, or a prefix of 155 and a name of 100 split at '/')")
    }

    /// The header checksum: the sum of all bytes, the checksum field (148..<156) counted as spaces.
    static func checksum(of block: UnsafeRawBufferPointer) -> Int {
        var sum = 8 * 0x20
        for index in 0..<148 { sum += Int(block[index]) }
        for index in 156..<blockSize { sum += Int(block[index]) }
        return sum
    }

    /// `value` as zero-padded octal digits followed by a NUL, `width` bytes in all.
    static func octal(_ value: UInt64, width: Int) -> [UInt8] {
        let digits = Array(String(value, radix: 8).utf8)
        return [UInt8](repeating: UInt8(ascii: "0"), count: max(0, width - 1 - digits.count)) + digits + [0]
    }

    /// An octal field: optional leading spaces, digits, then only NULs or spaces. Nil when malformed.
    static func number(_ block: UnsafeRawBufferPointer, _ offset: Int, _ width: Int) -> UInt64? {
        var value: UInt64 = 0, index = offset, digits = 0
        let end = offset + width
        while index < end, block[index] == 0x20, digits == 0 { index += 1 }
        while index < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(block[index]) {
            guard value >> 61 == 0 else { return nil }
            value = value << 3 | UInt64(block[index] - UInt8(ascii: "0"))
            index += 1
            digits += 1
        }
        guard digits > 0, block[index..<end].allSatisfy({ $0 == 0 || $0 == 0x20 }) else { return nil }
        return value
    }

    private static func bytes(_ block: UnsafeRawBufferPointer, _ offset: Int, _ width: Int) -> [UInt8] {
        Array(block[offset..<offset + width].prefix { $0 != 0 })
    }

    private static func text(_ block: UnsafeRawBufferPointer, _ offset: Int, _ width: Int) -> String {
        String(decoding: bytes(block, offset, width), as: UTF8.self)
    }
}
