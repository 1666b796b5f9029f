using System.Security.Cryptography;
using RescueKit.Core;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Sets;

/// <summary>
/// The 32-byte AES-256 key of an encrypted backup, from a key file or derived from a passphrase (PBKDF2-SHA256, a
/// random salt, <see cref="Pbkdf2Iterations"/> rounds). It lives only in memory: the manifest records the KDF
/// parameters and a key check value, never the key (docs/backup.md "Encryption").
/// </summary>
public sealed class BackupKey
{
    public const int KeyBytes = 32;
    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.</summary>
    public const int Pbkdf2Iterations = 600_000;
    private const int SaltBytes = 16;
    private static readonly byte[] KeyCheckLabel = "RescueKit key check v1"u8.ToArray();

    private BackupKey(byte[] key, string kdf, byte[]? salt, int iterations)
    {
        Key = key;
        Kdf = kdf;
        Salt = salt;
        Iterations = iterations;
    }

    internal byte[] Key { get; }
    private string Kdf { get; }
    private byte[]? Salt { get; }
    private int Iterations { get; }

    /// <summary>Where the secret comes from: exactly one of the two files.</summary>
    public sealed record Source(string? KeyFile, string? PassphraseFile);

    /// <summary>A key for a new backup: the key file's key, or the passphrase with a fresh random salt.</summary>
    public static BackupKey ForNewBackup(Source source) =>
        source.KeyFile is not null
            ? new BackupKey(ReadKeyFile(source.KeyFile), BackupEncryption.KeyFile, null, 0)
            : Derive(ReadPassphrase(source.PassphraseFile!), RandomNumberGenerator.GetBytes(SaltBytes), Pbkdf2Iterations);

    /// <summary>The key of an existing backup from the user's key or passphrase file; a wrong one is refused here,
    /// through the key check value, before anything is decrypted.</summary>
    public static BackupKey ForExistingBackup(BackupEncryption encryption, Source? source, string backupName)
    {
        if (source is null || (source.KeyFile is null && source.PassphraseFile is null))
            throw new BackupKeyNeededException(backupName, encryption.Kdf == BackupEncryption.KeyFile, otherKindGiven: false);
        if (encryption.Cipher != BackupEncryption.Aes256Gcm)
            throw new BadInputException($"backup {backupName} uses cipher '{encryption.Cipher}', which this rescuekit does not know");
        BackupKey key;
        if (encryption.Kdf == BackupEncryption.KeyFile)
        {
            if (source.KeyFile is null)
                throw new BackupKeyNeededException(backupName, needsKeyFile: true, otherKindGiven: true);
            key = new BackupKey(ReadKeyFile(source.KeyFile), encryption.Kdf, null, 0);
        }
        else if (encryption.Kdf == BackupEncryption.Pbkdf2Sha256)
        {
            if (source.PassphraseFile is null)
                throw new BackupKeyNeededException(backupName, needsKeyFile: false, otherKindGiven: true);
            if (encryption.Salt is null || encryption.Iterations < 1)
                throw new InvalidDataException($"backup {backupName}: the manifest's PBKDF2 parameters are incomplete");
            key = Derive(ReadPassphrase(source.PassphraseFile), Convert.FromBase64String(encryption.Salt), encryption.Iterations);
        }
        else
        {
            throw new BadInputException($"backup {backupName} uses key derivation '{encryption.Kdf}', which this rescuekit does not know");
        }
        if (!CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(encryption.KeyCheck), key.KeyCheck()))
            throw new BadInputException(encryption.Kdf == BackupEncryption.KeyFile
                ? $"the key in {source.KeyFile} is not the key of backup {backupName}: give the key file it was made with"
                : $"the passphrase in {source.PassphraseFile} is not the passphrase of backup {backupName}: give the one it was made with");
        return key;
    }

    /// <summary>The manifest's encryption block for this key.</summary>
    public BackupEncryption Describe(int recordSize) => new()
    {
        Cipher = BackupEncryption.Aes256Gcm,
        RecordSize = recordSize,
        Kdf = Kdf,
        Salt = Salt is null ? null : Convert.ToBase64String(Salt),
        Iterations = Iterations,
        KeyCheck = Convert.ToBase64String(KeyCheck()),
    };

    private byte[] KeyCheck() => HMACSHA256.HashData(Key, KeyCheckLabel);

    private static BackupKey Derive(byte[] passphrase, byte[] salt, int iterations)
    {
        var key = Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, iterations, HashAlgorithmName.SHA256, KeyBytes);
        CryptographicOperations.ZeroMemory(passphrase);
        return new BackupKey(key, BackupEncryption.Pbkdf2Sha256, salt, iterations);
    }

    private static byte[] ReadKeyFile(string path)
    {
        var bytes = ReadSecret(path, "the key file");
        if (bytes.Length != KeyBytes)
            throw new BadInputException(
                $"the key file {path} holds {bytes.Length} bytes; a key file is exactly {KeyBytes} random bytes (make one with 'head -c 32 /dev/urandom > FILE')");
        return bytes;
    }

    /// <summary>The passphrase file's bytes without a trailing line break (as an editor or echo leaves it).</summary>
    private static byte[] ReadPassphrase(string path)
    {
        var bytes = ReadSecret(path, "the passphrase file");
        var length = bytes.Length;
        if (length > 0 && bytes[length - 1] == '\n') length--;
        if (length > 0 && bytes[length - 1] == '\r') length--;
        if (length == 0) throw new BadInputException($"the passphrase file {path} is empty: write the passphrase into it");
        return bytes[..length];
    }

    private static byte[] ReadSecret(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{what} {path} cannot be read ({e.Message})", e);
        }
    }
}
