import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeHTTP

/// The channels `.env` configures: e-mail when `SMTP_HOST` and `SMTP_TO` are set, Telegram when
/// `TELEGRAM_BOT_TOKEN` and `TELEGRAM_CHAT_ID` are.
public enum AlertChannels {
    public static func configured(environment: EnvironmentSettings, settings: GeneralConfig.Alerts) throws -> [any AlertChannel] {
        var channels: [any AlertChannel] = []
        let smtp = environment.smtp
        if smtp.isConfigured, let host = smtp.host {
            let security: SMTPServer.Security = switch settings.smtpSecurity {
            case .starttls: .starttls
            case .ssl: .ssl
            case .none: .none
            }
            let server = SMTPServer(host: host, port: smtp.port, security: security, user: smtp.user, password: smtp.password)
            channels.append(try EmailChannel(server: server, from: smtp.from ?? smtp.user ?? "alpha-prime@localhost", to: smtp.to))
        }
        let telegram = environment.telegram
        if let token = telegram.botToken, let chat = telegram.chatID {
            channels.append(try TelegramChannel(apiURL: settings.telegramAPIURL, token: token, chatID: chat))
        }
        return channels
    }
}
