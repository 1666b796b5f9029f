namespace RescueKit.Core.Backup;

/// <summary>
/// manifest.json, the root of one backup set (DESIGN §6, docs/backup.md): what was archived, how it is compressed and
/// encrypted, and every file of the set with its size and SHA-256. It is written last and published by atomic
/// rename, so a backup directory without it is not a backup.
/// </summary>
public sealed record BackupManifest
{
    /// <summary>The version of this format; readers refuse versions they do not know.</summary>
    public const int CurrentFormatVersion = 1;

    public required int FormatVersion { get; init; }

    /// <summary>The rescuekit version that wrote the set.</summary>
    public required string ToolVersion { get; init; }

    public required string Host { get; init; }

    /// <summary>The backup's id: its directory name, the UTC time it started as yyyyMMddTHHmmssZ.</summary>
    public required string Id { get; init; }

    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary><see cref="BackupKinds.Full"/> or <see cref="BackupKinds.Incremental"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>For an incremental backup: the backup it was taken against (a sibling directory).</summary>
    public BackupBase? Base { get; init; }

    public required BackupCompression Compression { get; init; }

    /// <summary>The largest size of one chunk file, in bytes.</summary>
    public required long ChunkSize { get; init; }

    /// <summary>Null when the set is not encrypted.</summary>
    public BackupEncryption? Encryption { get; init; }

    public required IReadOnlyList<FilesystemSet> Sets { get; init; }

    /// <summary>The compressed catalog of every entry of every set (JSON lines).</summary>
    public required BackupFile Catalog { get; init; }

    /// <summary>The disk layout captured with the backup (layout.json).</summary>
    public required BackupFile Layout { get; init; }

    public IReadOnlyList<BackupWarning> Warnings { get; init; } = [];
}

/// <summary>The values of <see cref="BackupManifest.Kind"/>.</summary>
public static class BackupKinds
{
    public const string Full = "full";
    public const string Incremental = "incremental";
}

/// <summary>The backup an incremental one builds on, and the SHA-256 of that backup's manifest.json so a chain cannot
/// silently mix in a different backup of the same name.</summary>
public sealed record BackupBase(string Id, string ManifestSha256);

/// <summary>How the archive streams and the catalog are compressed: <see cref="Algorithm"/> is zstd, gzip or none.</summary>
public sealed record BackupCompression(string Algorithm, int Level);

/// <summary>
/// How the chunks and the catalog are encrypted (AES-256-GCM records, docs/backup.md "Encryption"). Never the key:
/// <see cref="KeyCheck"/> is HMAC-SHA256(key, "RescueKit key check v1"), so a wrong key is refused before anything is
/// decrypted or written, without revealing the key.
/// </summary>
public sealed record BackupEncryption
{
    public const string Aes256Gcm = "aes-256-gcm";
    public const string Pbkdf2Sha256 = "pbkdf2-sha256";
    public const string KeyFile = "keyfile";

    public required string Cipher { get; init; }

    /// <summary>Plaintext bytes per sealed record (the last record of a chunk may be shorter).</summary>
    public required int RecordSize { get; init; }

    /// <summary><see cref="Pbkdf2Sha256"/> (a passphrase) or <see cref="KeyFile"/> (a raw 32-byte key).</summary>
    public required string Kdf { get; init; }

    /// <summary>The PBKDF2 salt, base64; null for a key file.</summary>
    public string? Salt { get; init; }

    /// <summary>The PBKDF2 iteration count; 0 for a key file.</summary>
    public int Iterations { get; init; }

    /// <summary>base64 of HMAC-SHA256(key, "RescueKit key check v1").</summary>
    public required string KeyCheck { get; init; }
}

/// <summary>One filesystem's archive stream: where it was mounted, what it holds, and its chunks in order.</summary>
public sealed record FilesystemSet
{
    /// <summary>The set's name, from its mount point: root for /, boot, boot-efi, var-lib-x.</summary>
    public required string Name { get; init; }

    /// <summary>Where the host mounts it; empty when it is <see cref="Unmounted"/>.</summary>
    public required string MountPoint { get; init; }

    /// <summary>The host does not mount it (an ESP beside the one on /boot/efi): the backup mounted it read-only to
    /// archive it. A restore puts its files back into the filesystem recreated on <see cref="Device"/>'s counterpart.</summary>
    public bool Unmounted { get; init; }

    public required string Device { get; init; }

    public required string FsType { get; init; }

    public string? Uuid { get; init; }

    /// <summary>The exclude patterns the walk applied (absolute paths under <see cref="MountPoint"/>); compare applies them too.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>Entries the filesystem held at backup time (the catalog lists each, archived or not).</summary>
    public required long EntryCount { get; init; }

    /// <summary>Entries whose member is in this set's archive (all of them for a full backup).</summary>
    public required long ArchivedEntries { get; init; }

    /// <summary>Paths of the base backup that are gone (or changed type): a restore deletes them before extracting.</summary>
    public long DeletedEntries { get; init; }

    /// <summary>Bytes of regular-file content archived.</summary>
    public required long ContentBytes { get; init; }

    public required IReadOnlyList<BackupFile> Chunks { get; init; }
}

/// <summary>One file of the backup set, its path relative to the backup directory, its size and SHA-256 (lowercase
/// hex) as stored (after compression and encryption).</summary>
public sealed record BackupFile(string File, long Size, string Sha256);

/// <summary>Something that could not be archived as it was (unreadable, vanished while read): the backup completed
/// without it and the exit code says so.</summary>
public sealed record BackupWarning(string Set, string Path, string Message);
