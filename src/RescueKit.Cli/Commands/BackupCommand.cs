using System.CommandLine;
using System.Diagnostics;
using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;
using Serilog;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit backup`: a backup set of every mounted filesystem (or those on --device) with the layout.</summary>
internal sealed class BackupCommand : RescueCommand
{
    public const string DefaultTarget = "/var/lib/rescuekit/backups";

    private readonly Option<string?> _to = new("--to") { Description = $"Target directory (default {DefaultTarget}, or the config file's target)" };
    private readonly Option<string?> _compression = new("--compression") { Description = "zstd (default), gzip or none" };
    private readonly Option<int?> _level = new("--level") { Description = "Compression level (zstd 1-19, default 3; gzip 1-9, default 6)" };
    private readonly Option<string?> _chunkSize = new("--chunk-size") { Description = "Largest chunk file, e.g. 64M, 4.7G (default 1G)" };
    private readonly Option<string[]> _exclude = new("--exclude")
    {
        Description = "Glob of absolute paths to leave out (repeatable; * also matches /)",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<bool> _encrypt = new("--encrypt") { Description = "Encrypt the chunks and catalog (AES-256-GCM); needs --key-file or --passphrase-file" };
    private readonly KeyOptions _key = new();
    private readonly Option<string?> _since = new("--since") { Description = "Take an incremental backup against this backup (directory or id)" };
    private readonly Option<string[]> _device = new("--device")
    {
        Description = "Only the filesystems on these devices, their partitions and holders (repeatable)",
        AllowMultipleArgumentsPerToken = true,
    };
    private readonly Option<int?> _keep = new("--keep") { Description = "After the backup is published, keep only the newest N of this host" };
    private readonly Option<string?> _config = new("--config") { Description = $"Config file (default {BackupConfigFile.DefaultPath})" };

    public BackupCommand() : base("backup", "Back up the mounted filesystems and the disk layout into a chunked, checksummed backup set")
    {
        Options.Add(_to);
        Options.Add(_compression);
        Options.Add(_level);
        Options.Add(_chunkSize);
        Options.Add(_exclude);
        Options.Add(_encrypt);
        _key.AddTo(this);
        Options.Add(_since);
        Options.Add(_device);
        Options.Add(_keep);
        Options.Add(_config);
    }

    protected override bool QuietConsole => !Console.IsOutputRedirected;

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var configPath = result.GetValue(_config);
        var config = BackupConfigFile.Load(configPath ?? BackupConfigFile.DefaultPath, configPath is not null);
        var target = result.GetValue(_to) ?? config.Target ?? DefaultTarget;
        if (target.StartsWith("nfs://", StringComparison.Ordinal))
            throw new BadInputException(
                $"--to {target}: NFS targets are not implemented yet (this build machine has no NFS client to test them): mount the export yourself and give --to /mount/point");
        var compression = SetCompression.Choose(result.GetValue(_compression) ?? config.Compression ?? SetCompression.Zstd,
            result.GetValue(_level) ?? config.Level);
        var chunkText = result.GetValue(_chunkSize) ?? config.ChunkSize;
        var chunkSize = chunkText is null ? BackupRequest.DefaultChunkSize : ByteSize.Parse(chunkText, "--chunk-size");
        var keep = result.GetValue(_keep) ?? config.Keep;
        if (keep is < 1) throw new BadInputException($"--keep {keep} would delete every backup: keep at least 1");
        var keySource = _key.Source(result);
        var encrypt = result.GetValue(_encrypt);
        if (encrypt && keySource is null) throw new BadInputException("--encrypt needs --key-file FILE or --passphrase-file FILE");
        if (!encrypt && keySource is not null)
            throw new BadInputException("--key-file and --passphrase-file encrypt a backup only with --encrypt: add it");
        var devices = result.GetValue(_device) ?? [];

        var started = Stopwatch.GetTimestamp();
        var layout = new LayoutCapture(Runner(log), log).Capture(new LayoutCaptureOptions { Devices = devices, ToolVersion = GlobalOptions.Version });
        var filesystems = FilesystemSelection.Select(MountInfo.Parse(File.ReadAllText(MountInfo.ProcPath)), devices, "/sys/class/block",
            device => layout.Filesystems.FirstOrDefault(f => f.Device == device)?.Uuid);
        var swapFiles = File.Exists(ProcSwaps.ProcPath)
            ? ProcSwaps.Parse(File.ReadAllText(ProcSwaps.ProcPath)).Where(s => s.Kind == "file").Select(s => s.Device).ToList()
            : [];
        var request = new BackupRequest
        {
            Target = target,
            Host = MkrescueCommand.HostName(),
            Started = GlobalOptions.BuildTime(),
            Filesystems = filesystems,
            Compression = compression,
            ChunkSize = chunkSize,
            Excludes = config.Excludes.Concat(result.GetValue(_exclude) ?? []).ToList(),
            SwapFiles = swapFiles,
            Encryption = encrypt ? keySource : null,
            Since = result.GetValue(_since),
            LayoutJson = LayoutJson.Serialize(layout),
            ToolVersion = GlobalOptions.Version,
        };
        log.Information("Backing up {Sets} to {Target}", string.Join(", ", filesystems.Select(f => $"{f.Name} ({f.MountPoint})")), target);

        var writer = new BackupSetWriter(log);
        BackupSet backup;
        if (QuietConsole)
        {
            BackupSet? written = null;
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
                .Start(ctx => written = writer.Write(request, new BarProgress(ctx, log), cancellationToken));
            backup = written!;
        }
        else
        {
            backup = writer.Write(request, new LogProgress(log), cancellationToken);
        }

        if (keep is { } n)
            foreach (var removed in new BackupRepository(target, request.Host).Prune(n))
                log.Information("Pruned backup {Id} (--keep {Keep})", removed, n);

        var m = backup.Manifest;
        Console.WriteLine($"Backup: {backup.Directory} ({m.Kind}, {m.Sets.Count} sets, {m.Sets.Sum(s => s.EntryCount)} entries, " +
                          $"{ByteSize.Format(m.Sets.Sum(s => s.ContentBytes))} content, {ByteSize.Format(m.Sets.Sum(s => s.Chunks.Sum(c => c.Size)))} stored, " +
                          $"{Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s)");
        if (m.Warnings.Count == 0) return ExitCodes.Ok;
        Console.WriteLine($"Completed with {m.Warnings.Count} warnings (listed in {BackupRepository.ManifestFile}):");
        foreach (var w in m.Warnings) Console.WriteLine($"  {w.Set}: {w.Path}: {w.Message}");
        return ExitCodes.CompletedWithWarnings;
    }

    /// <summary>Progress as log lines, every few seconds: what a serial console, a pipe or a cron mail gets.</summary>
    private sealed class LogProgress(ILogger log) : IBackupProgress
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
        private long _lastReport;
        private string _set = "";

        public void SetStarted(SourceFilesystem filesystem, long estimatedBytes)
        {
            _set = filesystem.Name;
            _lastReport = Stopwatch.GetTimestamp();
            log.Information("Set {Set}: {MountPoint} ({FsType} on {Device}, about {Size} in use)", filesystem.Name,
                filesystem.MountPoint, filesystem.FsType, filesystem.Device, ByteSize.Format(estimatedBytes));
        }

        public void Advanced(long contentBytes, long entries)
        {
            if (Stopwatch.GetElapsedTime(_lastReport) < Interval) return;
            _lastReport = Stopwatch.GetTimestamp();
            log.Information("Set {Set}: {Entries} entries, {Bytes} read", _set, entries, ByteSize.Format(contentBytes));
        }

        public void SetFinished(FilesystemSet set) =>
            log.Information("Set {Set}: {Entries} entries, {Bytes} content, {Chunks} chunks", set.Name, set.EntryCount,
                ByteSize.Format(set.ContentBytes), set.Chunks.Count);

        public void Warning(string path, string message) => log.Warning("{Path}: {Message}", path, message);
    }

    /// <summary>Progress as a Spectre.Console bar per set, for a terminal.</summary>
    private sealed class BarProgress(ProgressContext context, ILogger log) : IBackupProgress
    {
        private ProgressTask? _task;

        public void SetStarted(SourceFilesystem filesystem, long estimatedBytes) =>
            _task = context.AddTask(Markup.Escape($"{filesystem.Name} ({filesystem.MountPoint})"), maxValue: Math.Max(1, estimatedBytes));

        public void Advanced(long contentBytes, long entries) => _task!.Value = Math.Min(contentBytes, _task.MaxValue);

        public void SetFinished(FilesystemSet set)
        {
            _task!.Value = _task.MaxValue;
            _task.StopTask();
        }

        public void Warning(string path, string message) => log.Warning("{Path}: {Message}", path, message);
    }
}
