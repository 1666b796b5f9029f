using System.Security.Cryptography;
using RescueKit.Backup.Sets;
using RescueKit.Core.Backup;

namespace RescueKit.Backup.Tests.Sets;

/// <summary>A scratch directory with a source tree and a backup target, and a way to back the tree up as one set.</summary>
internal sealed class BackupScratch : IDisposable
{
    public const string Host = "testhost";

    public BackupScratch()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("rk-sets-").FullName;
        Source = Path.Combine(Directory, "src");
        Target = Path.Combine(Directory, "target");
        System.IO.Directory.CreateDirectory(Source);
    }

    public string Directory { get; }
    public string Source { get; }
    public string Target { get; }
    public string HostDirectory => Path.Combine(Target, Host);

    public string Write(string relative, byte[] content)
    {
        var path = Path.Combine(Source, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public static byte[] Random(int length) => RandomNumberGenerator.GetBytes(length);

    public string SecretFile(string name, byte[] content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public BackupRequest Request(string compression = SetCompression.Zstd, long chunkSize = ChunkSizes.Default,
        BackupKey.Source? encryption = null, string? since = null, DateTimeOffset? started = null) => new()
    {
        Target = Target,
        Host = Host,
        Started = started ?? DateTimeOffset.UtcNow,
        Filesystems = [new SourceFilesystem("data", Source, "/dev/test", "ext4", null)],
        Compression = SetCompression.Choose(compression, null),
        ChunkSize = chunkSize,
        Encryption = encryption,
        Since = since,
        LayoutJson = "{\"formatVersion\":1}",
        ToolVersion = "0.0.0-test",
        RecordSize = 64 << 10,
    };

    public BackupSet Backup(BackupRequest request, CancellationToken cancellationToken = default, IBackupProgress? progress = null) =>
        new BackupSetWriter(Serilog.Core.Logger.None).Write(request, progress ?? new NoProgress(), cancellationToken);

    /// <summary>The chunk files of the set, concatenated, as `cat sets/data.tar.zst.*` gives them.</summary>
    public static string Concatenate(BackupSet backup, string into)
    {
        using var output = File.Create(into);
        foreach (var chunk in backup.Manifest.Sets[0].Chunks)
            using (var input = File.OpenRead(Path.Combine(backup.Directory, chunk.File))) input.CopyTo(output);
        return into;
    }

    // rm, because .NET cannot name (so cannot delete) files whose names are not UTF-8.
    public void Dispose() => RescueKit.Tests.Shared.ExternalTool.RunOk("rm", "coreutils", ["-rf", Directory]);

    internal sealed class NoProgress : IBackupProgress
    {
        public void SetStarted(SourceFilesystem filesystem, long estimatedBytes) { }
        public void Advanced(long contentBytes, long entries) { }
        public void SetFinished(FilesystemSet set) { }
        public void Warning(string path, string message) { }
    }

    /// <summary>Cancels the backup once it has archived some content: an interruption in the middle of a set.</summary>
    public sealed class CancelMidway(CancellationTokenSource cancel) : IBackupProgress
    {
        public void SetStarted(SourceFilesystem filesystem, long estimatedBytes) { }
        public void Advanced(long contentBytes, long entries)
        {
            if (contentBytes > 0) cancel.Cancel();
        }
        public void SetFinished(FilesystemSet set) { }
        public void Warning(string path, string message) { }
    }
}
