import AlphaPrimeCommands
import AlphaPrimeWebServer

@main
struct Entrypoint {
    static func main() async {
        // The dashboard's HTTP server: linked into this tool alone.
        DashboardTransport.install(HummingbirdWebServer())
        await DashboardCommand.main()
    }
}
