import CCrypto

/// A small secret (the trader's `.env`) encrypted under a passphrase, for a backup that can sit on a
/// disk or a drive other people reach.
///
/// Format version 1, every field at a fixed offset:
///
///     offset  length  field
///          0       6  magic "APBOX1" (the format and its version)
///          6      16  salt, random for every seal
///         22      12  nonce, random for every seal
///         34       n  ciphertext: AES-256-GCM of the n-byte secret
///       34+n      16  GCM authentication tag
///
/// The key is scrypt(passphrase as UTF-8, salt, N = 2^17, r = 8, p = 1, 32 bytes), OWASP's minimum
/// for scrypt. The parameters belong to the format version and are not stored, so no change to a
/// file can make opening it cost more. The 34-byte header is the GCM additional authenticated
/// data: a change to any byte of the file (header, ciphertext or tag), or a cut anywhere, makes
/// opening fail, as does a wrong passphrase; the two are reported alike.
public enum SecretBox {
    public static let magic = Array("APBOX1".utf8)
    public static let saltLength = 16
    public static let nonceLength = 12
    public static let tagLength = 16
    public static let keyLength = 32
    /// Magic, salt and nonce: the authenticated header.
    public static let headerLength = 34

    static let scryptN: UInt64 = 1 << 17
    static let scryptR: UInt64 = 8
    static let scryptP: UInt64 = 1
    /// scrypt at N = 2^17, r = 8 needs 128 MiB (128·r·N bytes); OpenSSL's default cap is 32 MiB.
    static let scryptMaxMemory: UInt64 = 256 << 20

    /// A key derived from a passphrase and the salt it was derived with. Its bytes are wiped when
    /// the value goes away.
    public final class Key {
        public let salt: [UInt8]
        let bytes: UnsafeMutableRawBufferPointer

        fileprivate init(salt: [UInt8]) {
            self.salt = salt
            bytes = .allocate(byteCount: SecretBox.keyLength, alignment: 16)
            bytes.initializeMemory(as: UInt8.self, repeating: 0)
        }

        deinit {
            OPENSSL_cleanse(bytes.baseAddress, bytes.count)
            bytes.deallocate()
        }
    }

    /// Derives the key for `passphrase` and a 16-byte `salt` (about a third of a second, 128 MiB).
    public static func deriveKey(passphrase: String, salt: [UInt8]) throws -> Key {
        guard salt.count == saltLength else {
            throw ArchiveError.libraryFailure(function: "SecretBox.deriveKey", reason: "the salt is \(salt.count) bytes, not \(saltLength)")
        }
        let key = Key(salt: salt)
        var password = Array(passphrase.utf8)
        defer { password.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        try scrypt(password: password, salt: salt, n: scryptN, r: scryptR, p: scryptP, into: key.bytes)
        return key
    }

    /// The salt of a sealed secret, to derive its key once for several openings.
    public static func salt(of sealed: [UInt8]) throws -> [UInt8] {
        try checkShape(sealed)
        return Array(sealed[magic.count..<magic.count + saltLength])
    }

    /// Encrypts `plaintext` under a key derived from `passphrase` with a fresh random salt.
    public static func seal(_ plaintext: [UInt8], passphrase: String) throws -> [UInt8] {
        try seal(plaintext, key: deriveKey(passphrase: passphrase, salt: randomBytes(saltLength)))
    }

    /// Encrypts `plaintext` under `key` (with its salt) and a fresh random nonce.
    public static func seal(_ plaintext: [UInt8], key: Key) throws -> [UInt8] {
        let header = magic + key.salt + (try randomBytes(nonceLength))
        var tag = [UInt8](repeating: 0, count: tagLength)
        let ciphertext = try gcm(encrypt: true, key: key, header: header, input: plaintext[...], tag: &tag)
        return header + ciphertext + tag
    }

    /// Decrypts a sealed secret with the passphrase it was sealed under.
    public static func open(_ sealed: [UInt8], passphrase: String) throws -> [UInt8] {
        try open(sealed, key: deriveKey(passphrase: passphrase, salt: salt(of: sealed)))
    }

    /// Decrypts a sealed secret with a key derived for its salt.
    public static func open(_ sealed: [UInt8], key: Key) throws -> [UInt8] {
        try checkShape(sealed)
        guard Array(sealed[magic.count..<magic.count + saltLength]) == key.salt else { throw ArchiveError.wrongPassphrase }
        var tag = Array(sealed[(sealed.count - tagLength)...])
        let header = Array(sealed[..<headerLength])
        return try gcm(encrypt: false, key: key, header: header, input: sealed[headerLength..<(sealed.count - tagLength)], tag: &tag)
    }

    /// scrypt (RFC 7914) of `password` and `salt` at the given cost, `length` bytes.
    static func scrypt(password: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64, length: Int) throws -> [UInt8] {
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 16)
        defer { output.deallocate() }
        try scrypt(password: password, salt: salt, n: n, r: r, p: p, into: output)
        return Array(output)
    }

    private static func scrypt(password: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64,
                               into output: UnsafeMutableRawBufferPointer) throws {
        let status = password.withUnsafeBytes { pass in
            salt.withUnsafeBufferPointer { salt in
                EVP_PBE_scrypt(pass.baseAddress?.assumingMemoryBound(to: CChar.self), pass.count, salt.baseAddress, salt.count,
                               n, r, p, scryptMaxMemory, output.baseAddress?.assumingMemoryBound(to: UInt8.self), output.count)
            }
        }
        guard status == 1 else { throw failure("EVP_PBE_scrypt") }
    }

    private static func checkShape(_ sealed: [UInt8]) throws {
        guard sealed.count >= headerLength + tagLength else {
            throw ArchiveError.damaged(path: "sealed secret", member: nil,
                                       reason: "\(sealed.count) bytes, shorter than the \(headerLength + tagLength) every sealed secret has")
        }
        guard Array(sealed[..<magic.count]) == magic else {
            throw ArchiveError.damaged(path: "sealed secret", member: nil, reason: "does not begin with APBOX1 (not a sealed secret of this version)")
        }
    }

    /// AES-256-GCM over `input` with `header` as additional data. Encrypting fills `tag`;
    /// decrypting checks it and throws `wrongPassphrase` when it does not match.
    private static func gcm(encrypt: Bool, key: Key, header: [UInt8], input: ArraySlice<UInt8>, tag: inout [UInt8]) throws -> [UInt8] {
        guard let context = EVP_CIPHER_CTX_new() else { throw failure("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(context) }
        let nonce = Array(header[(magic.count + saltLength)...])
        let keyBytes = key.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let initialised = encrypt
            ? EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, keyBytes, nonce)
            : EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, keyBytes, nonce)
        guard initialised == 1 else { throw failure("EVP_CipherInit_ex") }
        let update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate
        var length: Int32 = 0
        guard update(context, nil, &length, header, Int32(header.count)) == 1 else { throw failure("GCM additional data") }
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var written = 0
        if !input.isEmpty {
            let status = input.withUnsafeBufferPointer { update(context, &output, &length, $0.baseAddress, Int32($0.count)) }
            guard status == 1 else { throw failure("GCM update") }
            written = Int(length)
        }
        if encrypt {
            let status = output.withUnsafeMutableBufferPointer { EVP_EncryptFinal_ex(context, $0.baseAddress! + written, &length) }
            guard status == 1 else { throw failure("EVP_EncryptFinal_ex") }
            guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagLength), &tag) == 1 else { throw failure("GCM tag") }
        } else {
            guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1 else { throw failure("GCM tag") }
            let status = output.withUnsafeMutableBufferPointer { EVP_DecryptFinal_ex(context, $0.baseAddress! + written, &length) }
            guard status == 1 else {
                ERR_clear_error()
                output.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
                throw ArchiveError.wrongPassphrase
            }
        }
        let result = Array(output[..<(written + Int(length))])
        output.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
        return result
    }

    private static func randomBytes(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw failure("RAND_bytes") }
        return bytes
    }

    /// The library's own reason for the last failure.
    private static func failure(_ function: String) -> ArchiveError {
        let code = ERR_get_error()
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        ERR_clear_error()
        let reason = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return .libraryFailure(function: function, reason: code == 0 ? "no reason given" : reason)
    }
}
