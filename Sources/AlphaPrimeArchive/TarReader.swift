/// Reads a ustar archive as a stream: feed it bytes in any chunks and it reports each member's
/// header, its content in pieces and its end, in order. Every header's checksum, type and fields are
/// checked, and `finish` requires the two zero blocks that end an archive: an archive cut anywhere
/// is an error naming the member it was cut in. Zero bytes after the end marker (tar's padding to a
/// whole record) are allowed; anything else there is an error.
public final class TarReader {
    public enum Event {
        /// A member begins.
        case member(TarHeader)
        /// The next piece of the current member's content (valid only during the call).
        case content(UnsafeRawBufferPointer)
        /// The current member's content is complete.
        case memberEnd(TarHeader)
    }

    private enum State {
        case header
        case content(TarHeader, remaining: UInt64)
        case padding(TarHeader, remaining: Int)
        case secondZeroBlock
        case ended
    }

    private let source: String
    private let handler: (Event) throws -> Void
    private var state = State.header
    private var block = [UInt8]()
    /// Bytes of the tar stream consumed so far.
    private var offset: UInt64 = 0

    /// A reader reporting to `handler`; `source` names the archive in errors.
    public init(source: String, handler: @escaping (Event) throws -> Void) {
        self.source = source
        self.handler = handler
        block.reserveCapacity(TarHeader.blockSize)
    }

    /// Consumes the next chunk of the tar stream.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws {
        var index = 0
        while index < bytes.count {
            let available = bytes.count - index
            switch state {
            case .header, .secondZeroBlock:
                let take = min(TarHeader.blockSize - block.count, available)
                block.append(contentsOf: bytes[index..<index + take])
                index += take
                if block.count == TarHeader.blockSize { try completeBlock() }
            case .content(let header, let remaining):
                let take = Int(min(remaining, UInt64(available)))
                try handler(.content(UnsafeRawBufferPointer(rebasing: bytes[index..<index + take])))
                index += take
                offset += UInt64(take)
                if UInt64(take) == remaining {
                    try endMember(header)
                } else {
                    state = .content(header, remaining: remaining - UInt64(take))
                }
            case .padding(let header, let remaining):
                let take = min(remaining, available)
                index += take
                offset += UInt64(take)
                state = take == remaining ? .header : .padding(header, remaining: remaining - take)
            case .ended:
                if let stray = bytes[index...].firstIndex(where: { $0 != 0 }) {
                    throw damaged(nil, "data after the end-of-archive marker at byte \(offset + UInt64(stray - index))")
                }
                offset += UInt64(available)
                index = bytes.count
            }
        }
    }

    /// Checks that the archive ended with its end marker.
    public func finish() throws {
        switch state {
        case .content(let header, _), .padding(let header, _):
            throw damaged(header.name, "truncated: the archive ends inside this member's content")
        case .header where !block.isEmpty:
            throw damaged(nil, "truncated: the archive ends inside a header at byte \(offset)")
        case .header:
            throw damaged(nil, "truncated: no end-of-archive marker after byte \(offset)")
        case .secondZeroBlock:
            throw damaged(nil, "truncated: only one of the two zero blocks that end an archive")
        case .ended:
            break
        }
    }

    /// Reads a whole archive held in memory: every member with its content.
    public static func members(of bytes: [UInt8], source: String = "tar data") throws -> [(header: TarHeader, content: [UInt8])] {
        var members: [(header: TarHeader, content: [UInt8])] = []
        let reader = TarReader(source: source) { event in
            switch event {
            case .member(let header): members.append((header, []))
            case .content(let piece): members[members.count - 1].content.append(contentsOf: piece)
            case .memberEnd: break
            }
        }
        try bytes.withUnsafeBytes { try reader.feed($0) }
        try reader.finish()
        return members
    }

    private func completeBlock() throws {
        let isZero = block.allSatisfy { $0 == 0 }
        let blockOffset = offset
        offset += UInt64(TarHeader.blockSize)
        defer { block.removeAll(keepingCapacity: true) }
        switch state {
        case .secondZeroBlock:
            guard isZero else { throw damaged(nil, "a single zero block inside the archive at byte \(blockOffset - 512)") }
            state = .ended
        default:
            if isZero {
                state = .secondZeroBlock
                return
            }
            let header = try block.withUnsafeBytes { try TarHeader.decode($0, offset: blockOffset, source: source) }
            try handler(.member(header))
            if header.size > 0 {
                state = .content(header, remaining: header.size)
            } else {
                try endMember(header)
            }
        }
    }

    private func endMember(_ header: TarHeader) throws {
        try handler(.memberEnd(header))
        state = header.padding > 0 ? .padding(header, remaining: header.padding) : .header
    }

    private func damaged(_ member: String?, _ reason: String) -> ArchiveError {
        .damaged(path: source, member: member, reason: reason)
    }
}
