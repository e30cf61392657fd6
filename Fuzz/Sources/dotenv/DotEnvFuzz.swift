/// libFuzzer's entry: one `.env` text through its parser. A crash, a trap or a finding of
/// ``DotEnvFuzzCheck`` fails the run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes: [UInt8] = if let data, size > 0 { Array(UnsafeBufferPointer(start: data, count: size)) } else { [] }
    let findings = DotEnvFuzzCheck.findings(bytes)
    if !findings.isEmpty { fatalError(findings.joined(separator: "\n")) }
    return 0
}
