import AlphaPrimeKite

/// One input through both of the Kite ticker's decoders, as the WebSocket could deliver it: as a
/// binary message and as a text message. A crash, a trap or a broken property below is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func kiteTickerFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes: [UInt8] = if let data, size > 0 { Array(UnsafeBufferPointer(start: data, count: size)) } else { [] }

    do throws(KiteTickerDecodeError) {
        let message = try KiteTickerCodec.decode(binary: bytes)
        // Whatever decoded encodes to a message that decodes to the same ticks.
        if case .ticks(let ticks) = message {
            let again = try KiteTickerCodec.decode(binary: KiteTickerCodec.encode(ticks))
            precondition(again == message, "decode(encode(ticks)) differs from the ticks")
        }
    } catch {
        precondition((0...bytes.count).contains(error.offset), "error offset \(error.offset) outside the \(bytes.count)-byte message")
    }

    do throws(KiteTickerDecodeError) {
        _ = try KiteTickerCodec.decode(text: String(decoding: bytes, as: UTF8.self))
    } catch {
        precondition(error.offset == 0, "a text message error at offset \(error.offset)")
    }
    return 0
}
