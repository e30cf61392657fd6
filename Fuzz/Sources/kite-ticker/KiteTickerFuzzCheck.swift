import AlphaPrimeKite

/// The `kite-ticker` fuzz target's checks (shared with the test that replays its corpus): one input
/// through both of the Kite ticker's decoders, as the WebSocket could deliver it — a binary and a
/// text message. Beyond not crashing: a binary error's offset lies within the message, a text
/// error's offset is 0, and whatever decodes as ticks re-encodes to a message that decodes to the
/// same ticks.
enum KiteTickerFuzzCheck {
    /// What each decoder made of the input, for a test to count.
    struct Outcome {
        var findings: [String] = []
        var decodedBinary = false
        var decodedText = false
    }

    static func findings(_ bytes: [UInt8]) -> [String] { outcome(bytes).findings }

    static func outcome(_ bytes: [UInt8]) -> Outcome {
        var outcome = Outcome()
        do throws(KiteTickerDecodeError) {
            let message = try KiteTickerCodec.decode(binary: bytes)
            if case .ticks(let ticks) = message, try KiteTickerCodec.decode(binary: KiteTickerCodec.encode(ticks)) != message {
                outcome.findings.append("decode(encode(ticks)) differs from the ticks")
            }
            outcome.decodedBinary = true
        } catch {
            if !(0...bytes.count).contains(error.offset) {
                outcome.findings.append("error offset \(error.offset) outside the \(bytes.count)-byte message: \(error)")
            }
        }
        do throws(KiteTickerDecodeError) {
            _ = try KiteTickerCodec.decode(text: String(decoding: bytes, as: UTF8.self))
            outcome.decodedText = true
        } catch {
            if error.offset != 0 { outcome.findings.append("a text message error at offset \(error.offset): \(error)") }
        }
        return outcome
    }
}
