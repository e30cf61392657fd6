import Hummingbird
import Logging

/// An in-process Hummingbird server for the tests' stand-ins (Upstox, Telegram): 127.0.0.1 on a
/// free port, served on ``TestThreads/network`` so that a test blocked in a synchronous request to
/// it never keeps it from answering. Returns once it accepts connections.
enum LocalHTTPServer {
    static func start(_ router: Router<BasicRequestContext>, label: String) async throws -> (port: Int, task: Task<Void, Error>) {
        let stream = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                              onServerRunning: { channel in stream.continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: { var l = Logger(label: label); l.logLevel = .critical; return l }())
        let running = Task(executorPreference: TestThreads.network) { try await app.runService() }
        var iterator = stream.stream.makeAsyncIterator()
        guard let port = await iterator.next() else {
            running.cancel()
            throw CancellationError()
        }
        return (port, running)
    }
}
