/// Writes a ustar archive as a stream: each member's header, its content in any number of pieces,
/// its padding, and the two zero blocks that end the archive. Bytes leave through `sink` as they are
/// written, so a member of any size passes through without being held in memory.
public final class TarWriter {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private var current: (header: TarHeader, remaining: UInt64)?
    private var finished = false

    public init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.sink = sink
    }

    /// Starts a member: writes its header. Its content (exactly `header.size` bytes) follows through
    /// `writeContent`, then `endMember`.
    public func beginMember(_ header: TarHeader) throws {
        precondition(current == nil && !finished, "TarWriter.beginMember inside a member or after finish")
        let block = try header.encoded()
        try block.withUnsafeBytes { try sink($0) }
        current = (header, header.size)
    }

    /// Writes the next piece of the current member's content.
    public func writeContent(_ bytes: UnsafeRawBufferPointer) throws {
        guard let (header, remaining) = current else { preconditionFailure("TarWriter.writeContent outside a member") }
        guard UInt64(bytes.count) <= remaining else {
            throw ArchiveError.invalidMember(name: header.name, reason: "more content than the \(header.size) bytes announced")
        }
        try sink(bytes)
        current = (header, remaining - UInt64(bytes.count))
    }

    /// Ends the current member: checks that all its content was written and pads it to a block.
    public func endMember() throws {
        guard let (header, remaining) = current else { preconditionFailure("TarWriter.endMember outside a member") }
        guard remaining == 0 else {
            throw ArchiveError.invalidMember(
                name: header.name, reason: "\(header.size - remaining) bytes of content written, \(header.size) announced")
        }
        try writeZeros(header.padding)
        current = nil
    }

    /// Writes a whole member held in memory.
    public func addMember(name: String, bytes: [UInt8], mode: UInt32 = 0o600, modificationTime: Int64) throws {
        try beginMember(TarHeader(name: name, size: UInt64(bytes.count), mode: mode, modificationTime: modificationTime))
        try bytes.withUnsafeBytes { try writeContent($0) }
        try endMember()
    }

    /// Ends the archive with its two zero blocks.
    public func finish() throws {
        precondition(current == nil && !finished, "TarWriter.finish inside a member or twice")
        try writeZeros(2 * TarHeader.blockSize)
        finished = true
    }

    private func writeZeros(_ count: Int) throws {
        guard count > 0 else { return }
        try [UInt8](repeating: 0, count: count).withUnsafeBytes { try sink($0) }
    }
}
