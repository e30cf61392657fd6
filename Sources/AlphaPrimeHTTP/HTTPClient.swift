import AlphaPrimeSupport
import CCurl
import Foundation
import Synchronization

/// An HTTP client over one libcurl easy handle: the one owner of that handle.
///
/// A handle keeps its connections alive between requests (one TLS handshake per host, not per
/// order). It is not shared between threads: each thread that talks to a server makes its own
/// client. Requests are synchronous; the caller decides which thread waits.
public final class HTTPClient {
    private let handle: UnsafeMutableRawPointer

    public init() throws {
        HTTPClient.globalInit()
        guard let handle = curl_easy_init() else {
            throw HTTPError(kind: .other, host: "-", detail: "libcurl could not create a handle", code: -1)
        }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// `curl_global_init` once per process, before the first handle.
    private static let initialised: Mutex<Bool> = Mutex(false)
    static func globalInit() {
        initialised.withLock { done in
            guard !done else { return }
            curl_global_init(Int(CURL_GLOBAL_ALL))
            done = true
        }
    }

    /// Sends the request and waits for the whole answer. Any HTTP status is an answer (a 4xx or 5xx
    /// is returned, not thrown); only a transfer that did not complete throws ``HTTPError``.
    public func perform(_ request: HTTPRequest) throws -> HTTPResponse {
        curl_easy_reset(handle)
        let host = request.host
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // libcurl adds `Expect: 100-continue` to larger bodies, which costs a round trip.
        headerList = curl_slist_append(headerList, "Expect:")

        let sink = ResponseSink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        // The body with one byte more, so that even an empty body has an address to give libcurl.
        var body = [UInt8](request.body ?? Data())
        let bodyCount = body.count
        body.append(0)

        let code: CURLcode = request.url.withCString { url in
            errorBuffer.withUnsafeMutableBufferPointer { errors in
                body.withUnsafeMutableBytes { (bytes: UnsafeMutableRawBufferPointer) -> CURLcode in
                    var setupError = CURLE_OK
                    func set(_ result: CURLcode) { if setupError == CURLE_OK, result != CURLE_OK { setupError = result } }
                    set(alpha_curl_setopt_string(handle, CURLOPT_URL, url))
                    set(alpha_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errors.baseAddress))
                    set(alpha_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
                    set(alpha_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
                    set(alpha_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)))
                    set(alpha_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout)))
                    set(alpha_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
                    set(alpha_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
                    set(alpha_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, responseBodyCallback))
                    set(alpha_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
                    set(alpha_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, responseHeaderCallback))
                    set(alpha_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
                    switch request.method {
                    case .get:
                        set(alpha_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
                    case .post, .put, .delete:
                        if request.method == .post {
                            set(alpha_curl_setopt_long(handle, CURLOPT_POST, 1))
                        } else {
                            set(alpha_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
                        }
                        if request.body != nil || request.method == .post {
                            set(alpha_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyCount)))
                            set(alpha_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, bytes.baseAddress))
                        }
                    }
                    guard setupError == CURLE_OK else { return setupError }
                    return curl_easy_perform(handle)
                }
            }
        }
        guard code == CURLE_OK else {
            let written = errorBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
            let detail = written.isEmpty ? String(cString: curl_easy_strerror(code)) : String(decoding: written, as: UTF8.self)
            throw HTTPError(kind: Self.kind(of: code), host: host, detail: Self.withoutURL(detail, request.url), code: Int(code.rawValue))
        }
        var status = 0
        _ = alpha_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    static func milliseconds(_ seconds: Double) -> Int {
        max(1, Int((seconds * 1000).rounded()))
    }

    /// libcurl's messages can quote the URL; a URL may carry a token.
    static func withoutURL(_ detail: String, _ url: String) -> String {
        detail.replacingOccurrences(of: url, with: "<url>")
    }

    static func kind(of code: CURLcode) -> HTTPError.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_SSL_CONNECT_ERROR,
             CURLE_PEER_FAILED_VERIFICATION:
            .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT:
            .timedOut
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            .connectionLost
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION:
            .badRequest
        default:
            .other
        }
    }
}

/// Where one transfer's answer accumulates (passed to libcurl's callbacks as their context).
final class ResponseSink {
    var body = Data()
    var headers: [String: String] = [:]

    func header(_ line: String) {
        // A new status line (after a redirect or `100 Continue`) starts the headers over.
        if line.hasPrefix("HTTP/") { headers.removeAll(); return }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[name] = value
    }
}

private func responseBodyCallback(data: UnsafeMutablePointer<CChar>?, size: Int, count: Int, context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, let context else { return length }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    data.withMemoryRebound(to: UInt8.self, capacity: length) { sink.body.append($0, count: length) }
    return length
}

private func responseHeaderCallback(data: UnsafeMutablePointer<CChar>?, size: Int, count: Int, context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, let context else { return length }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
    sink.header(line)
    return length
}
