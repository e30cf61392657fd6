import CZstd

/// Zstandard compression, streamed: bytes go in as they come and compressed bytes leave through a
/// sink as soon as the library produces them, so neither side is ever held whole in memory.
///
/// Frames carry a content checksum (XXH64), so a damaged byte in the data is reported on reading. A
/// stream that ends inside a frame is an error, never a short result.
public enum Zstd {
    /// The level the archive files use: fast, and within a few percent of the best ratio for the
    /// text and database exports a backup holds.
    public static let defaultLevel: Int32 = 3

    /// Compresses `bytes` into one frame.
    public static func compress(_ bytes: [UInt8], level: Int32 = defaultLevel) throws -> [UInt8] {
        var result: [UInt8] = []
        let compressor = try ZstdCompressor(level: level) { result.append(contentsOf: $0) }
        try bytes.withUnsafeBytes { try compressor.write($0) }
        try compressor.finish()
        return result
    }

    /// Decompresses every frame of `bytes`; `source` names the data in errors.
    public static func decompress(_ bytes: [UInt8], source: String = "zstd data") throws -> [UInt8] {
        var result: [UInt8] = []
        let decompressor = try ZstdDecompressor(source: source) { result.append(contentsOf: $0) }
        try bytes.withUnsafeBytes { try decompressor.feed($0) }
        try decompressor.finish()
        return result
    }

    /// Decompresses the file at `path`, handing the content to `sink` chunk by chunk.
    public static func decompress(contentsOf path: String, into sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        let file = try OpenFile(reading: path)
        let decompressor = try ZstdDecompressor(source: path, sink: sink)
        try file.readChunks { try decompressor.feed($0) }
        try decompressor.finish()
    }

    fileprivate static func check(_ code: Int, _ function: String) throws -> Int {
        guard ZSTD_isError(code) == 0 else {
            throw ArchiveError.libraryFailure(function: function, reason: String(cString: ZSTD_getErrorName(code)))
        }
        return code
    }
}

/// A compressor: one `ZSTD_CCtx`, freed when the value goes away. Write the content with `write`,
/// then call `finish` once to end the frame.
public final class ZstdCompressor {
    private let context: OpaquePointer
    private let output: UnsafeMutableRawBufferPointer
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private var finished = false

    /// A compressor at `level` (1…19; 3 is zstd's default) whose frame carries a content checksum,
    /// handing compressed bytes to `sink`.
    public init(level: Int32 = Zstd.defaultLevel, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let context = ZSTD_createCCtx() else {
            throw ArchiveError.libraryFailure(function: "ZSTD_createCCtx", reason: "out of memory")
        }
        self.context = context
        self.output = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
        self.sink = sink
        _ = try Zstd.check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level), "ZSTD_CCtx_setParameter(level \(level))")
        _ = try Zstd.check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1), "ZSTD_CCtx_setParameter(checksum)")
    }

    /// A compressor writing to an open file descriptor; `path` names it in errors.
    public convenience init(level: Int32 = Zstd.defaultLevel, fileDescriptor: Int32, path: String) throws {
        try self.init(level: level) { try OpenFile.write($0, to: fileDescriptor, path: path) }
    }

    deinit {
        ZSTD_freeCCtx(context)
        output.deallocate()
    }

    /// Compresses `bytes`, handing whatever output is ready to the sink.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(!finished, "ZstdCompressor.write after finish")
        guard bytes.count > 0 else { return }
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while input.pos < input.size {
            try step(&input, ZSTD_e_continue)
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Ends the frame (with its checksum) and hands the rest of the output to the sink.
    public func finish() throws {
        precondition(!finished, "ZstdCompressor.finish called twice")
        var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try step(&input, ZSTD_e_end) != 0 {}
        finished = true
    }

    /// One call of `ZSTD_compressStream2`; returns how much is still to be flushed.
    @discardableResult
    private func step(_ input: inout ZSTD_inBuffer, _ directive: ZSTD_EndDirective) throws -> Int {
        var out = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let remaining = try Zstd.check(ZSTD_compressStream2(context, &out, &input, directive), "ZSTD_compressStream2")
        if out.pos > 0 { try sink(UnsafeRawBufferPointer(rebasing: output[0..<out.pos])) }
        return remaining
    }
}

/// A decompressor: one `ZSTD_DCtx`, freed when the value goes away. Feed it the compressed bytes in
/// any chunks, then call `finish`, which fails when the input ended inside a frame.
public final class ZstdDecompressor {
    private let context: OpaquePointer
    private let output: UnsafeMutableRawBufferPointer
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private let source: String
    /// What the last call returned: 0 once a frame is complete and flushed.
    private var pending = 0
    private var sawInput = false

    /// A decompressor handing the content to `sink`; `source` names the input in errors.
    public init(source: String, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let context = ZSTD_createDCtx() else {
            throw ArchiveError.libraryFailure(function: "ZSTD_createDCtx", reason: "out of memory")
        }
        self.context = context
        self.output = .allocate(byteCount: ZSTD_DStreamOutSize(), alignment: 16)
        self.sink = sink
        self.source = source
    }

    deinit {
        ZSTD_freeDCtx(context)
        output.deallocate()
    }

    /// Decompresses the next chunk of input.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        sawInput = true
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        var outputWasFull: Bool
        repeat {
            var out = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let result = ZSTD_decompressStream(context, &out, &input)
            guard ZSTD_isError(result) == 0 else {
                throw ArchiveError.damaged(path: source, member: nil,
                                           reason: "zstd: \(String(cString: ZSTD_getErrorName(result)))")
            }
            if out.pos > 0 { try sink(UnsafeRawBufferPointer(rebasing: output[0..<out.pos])) }
            pending = result
            outputWasFull = out.pos == out.size
        } while input.pos < input.size || outputWasFull
    }

    /// Checks that the input ended after a whole frame.
    public func finish() throws {
        guard sawInput else { throw ArchiveError.damaged(path: source, member: nil, reason: "zstd: empty input, no frame") }
        guard pending == 0 else {
            throw ArchiveError.damaged(path: source, member: nil, reason: "zstd: truncated (the input ends inside a frame)")
        }
    }
}
