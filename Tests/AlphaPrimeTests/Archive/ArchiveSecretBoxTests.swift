import AlphaPrimeSupport
import Foundation
import Testing
@testable import AlphaPrimeArchive

/// Sealed secrets: scrypt as RFC 7914 defines it, the format's layout, a round trip, and every wrong
/// passphrase, changed byte or cut refused alike.
@Suite struct ArchiveSecretBoxTests {
    static let secret = Array("KITE_API_KEY=abc123\nKITE_API_SECRET=s3cr3t\nSMTP_PASSWORD=hunter2\n".utf8)
    static let passphrase = "correct horse battery staple"

    @Test func scryptMatchesTheRFC7914TestVector() throws {
        let key = try SecretBox.scrypt(password: Array("pleaseletmein".utf8), salt: Array("SodiumChloride".utf8),
                                       n: 16_384, r: 8, p: 1, length: 64)
        #expect(SHA256.hexString(key) == "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
            + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")
    }

    @Test func theKeyIsScryptAtOWASPsMinimumCost() throws {
        #expect(SecretBox.scryptN == 1 << 17 && SecretBox.scryptR == 8 && SecretBox.scryptP == 1)
        let salt = [UInt8](0..<16)
        let key = try SecretBox.deriveKey(passphrase: Self.passphrase, salt: salt)
        let expected = try SecretBox.scrypt(password: Array(Self.passphrase.utf8), salt: salt, n: 1 << 17, r: 8, p: 1, length: 32)
        #expect(Array(key.bytes) == expected)
        #expect(key.salt == salt)
    }

    @Test func aSealedSecretOpensWithItsPassphrase() throws {
        let sealed = try SecretBox.seal(Self.secret, passphrase: Self.passphrase)
        #expect(sealed.count == 34 + Self.secret.count + 16)
        #expect(Array(sealed.prefix(6)) == Array("APBOX1".utf8))
        #expect(!sealed.indices.dropLast(Self.secret.count).contains { Array(sealed[$0..<$0 + Self.secret.count]) == Self.secret },
                "the secret does not appear in the sealed bytes")
        #expect(try SecretBox.open(sealed, passphrase: Self.passphrase) == Self.secret)

        let key = try SecretBox.deriveKey(passphrase: Self.passphrase, salt: try SecretBox.salt(of: sealed))
        #expect(try SecretBox.open(sealed, key: key) == Self.secret)
        let empty = try SecretBox.seal([], key: key)
        #expect(empty.count == 50)
        #expect(try SecretBox.open(empty, key: key) == [])
        let again = try SecretBox.seal(Self.secret, key: key)
        #expect(Array(again[22..<34]) != Array(sealed[22..<34]), "every seal has a fresh nonce")
    }

    @Test func aWrongPassphraseIsRefused() throws {
        let sealed = try SecretBox.seal(Self.secret, passphrase: Self.passphrase)
        do {
            _ = try SecretBox.open(sealed, passphrase: "correct horse battery stapler")
            Issue.record("a wrong passphrase opened the secret")
        } catch let error as ArchiveError {
            #expect(error == .wrongPassphrase)
            #expect(error.exitStatus == .dataError)
            #expect(error.description == "wrong passphrase or damaged encrypted member")
        }
    }

    @Test func everyChangedByteIsRefused() throws {
        let sealed = try SecretBox.seal(Self.secret, passphrase: Self.passphrase)
        let key = try SecretBox.deriveKey(passphrase: Self.passphrase, salt: try SecretBox.salt(of: sealed))
        let saltBytes = 6..<22
        let passed = sealed.indices.filter { index in !refuses { _ = try SecretBox.open(flipped(sealed, at: index), key: key) } }
        #expect(passed.isEmpty, "bytes changed that still opened with the key: \(passed)")
        for index in saltBytes {
            // Another salt derives another key: opening with the passphrase must refuse it too.
            #expect(throws: ArchiveError.wrongPassphrase, "salt byte \(index) changed") {
                _ = try SecretBox.open(flipped(sealed, at: index), passphrase: Self.passphrase)
            }
        }
    }

    @Test func everyCutIsRefused() throws {
        let sealed = try SecretBox.seal(Self.secret, passphrase: Self.passphrase)
        let key = try SecretBox.deriveKey(passphrase: Self.passphrase, salt: try SecretBox.salt(of: sealed))
        let passed = (0..<sealed.count).filter { length in !refuses { _ = try SecretBox.open(Array(sealed.prefix(length)), key: key) } }
        #expect(passed.isEmpty, "cuts that opened: \(passed)")
        #expect(throws: ArchiveError.self) { _ = try SecretBox.open(sealed + [0], key: key) }
        #expect(throws: ArchiveError.damaged(path: "sealed secret", member: nil, reason: "12 bytes, shorter than the 50 every sealed secret has")) {
            _ = try SecretBox.open(Array(sealed.prefix(12)), passphrase: Self.passphrase)
        }
        #expect(throws: ArchiveError.damaged(path: "sealed secret", member: nil, reason: "does not begin with APBOX1 (not a sealed secret of this version)")) {
            _ = try SecretBox.open(Self.secret, passphrase: Self.passphrase)
        }
    }
}
