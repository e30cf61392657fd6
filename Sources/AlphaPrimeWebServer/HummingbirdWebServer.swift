import AlphaPrimeSupport
import Hummingbird
import Logging

/// ``WebServing`` over Hummingbird (HTTP/1.1), for the `dashboard` executable: every request, whatever
/// its path, goes to the one handler with its body read whole (at most ``maxBody`` bytes; more is
/// refused with 413). SIGTERM and SIGINT stop it gracefully.
public struct HummingbirdWebServer: WebServing {
    public var maxBody: Int
    public var logger: Logger

    public init(maxBody: Int = 64 * 1024, logger: Logger = Logger(label: "alpha_prime.web")) {
        self.maxBody = maxBody
        self.logger = logger
    }

    public func serve(host: String, port: Int, handler: @escaping @Sendable (WebRequest) async -> WebResponse,
                      started: @escaping @Sendable (Int) -> Void) async throws {
        let maxBody = maxBody
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            // HTTP/1's Host is the request's authority here, not one of its header fields.
            var headers: [String: String] = request.head.authority.map { ["host": $0] } ?? [:]
            for field in request.headers {
                let name = field.name.canonicalName
                headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
            }
            let body: [UInt8]
            do {
                var buffer = try await request.body.collect(upTo: maxBody)
                body = buffer.readBytes(length: buffer.readableBytes) ?? []
            } catch {
                return Response(status: .contentTooLarge)
            }
            var query: [String: String] = [:]
            for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
            let answer = await handler(WebRequest(method: request.method.rawValue, path: request.uri.path, query: query,
                                                  headers: headers, body: body))
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let key = HTTPFields.Element.Name(name) { fields.append(HTTPFields.Element(name: key, value: value)) }
            }
            fields[.contentLength] = String(answer.body.count)
            return Response(status: .init(code: answer.status), headers: fields,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        let app = Application(responder: responder,
                              configuration: .init(address: .hostname(host, port: port), serverName: nil),
                              onServerRunning: { channel in started(channel.localAddress?.port ?? port) },
                              logger: logger)
        try await app.runService()
    }
}
