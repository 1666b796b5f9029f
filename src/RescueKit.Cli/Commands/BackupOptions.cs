using System.CommandLine;
using System.Diagnostics;
using RescueKit.Backup.Nfs;
using RescueKit.Backup.Targets;
using RescueKit.Backup.Sets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Host;
using Serilog;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>
/// What to back up and how, which backup and mkbackup take alike (mkbackup chooses the target itself), and the run.
/// </summary>
internal sealed class BackupOptions
{
    public const string DefaultTarget = "/var/lib/rescuekit/backups";

    private readonly Option<string?> _to = new("--to")
    {
        Description = $"Target directory, nfs://HOST[:PORT]/EXPORT/PATH or usb:[LABEL] (a RescueKit stick's data partition, label {UsbDataLabel.DefaultLabel}) (default {DefaultTarget}, or the config file's target)",
    };
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

    private readonly bool _withTarget;
    private readonly bool _withKeep;

    /// <param name="withTarget">Offer --to and --keep (mkbackup writes its backup onto the media instead).</param>
    /// <param name="withKeep">Offer --keep without --to (mkbackup --output usb prunes the stick's data partition).</param>
    public BackupOptions(bool withTarget, bool withKeep = false)
    {
        _withTarget = withTarget;
        _withKeep = withTarget || withKeep;
    }

    /// <summary>Whether --keep was given on the command line (mkbackup refuses it unless the output keeps backups).</summary>
    public bool KeepGiven(ParseResult result) => _withKeep && result.GetResult(_keep) is { Implicit: false };

    public void AddTo(Command command)
    {
        if (_withTarget) command.Options.Add(_to);
        command.Options.Add(_compression);
        command.Options.Add(_level);
        command.Options.Add(_chunkSize);
        command.Options.Add(_exclude);
        command.Options.Add(_encrypt);
        _key.AddTo(command);
        command.Options.Add(_since);
        command.Options.Add(_device);
        if (_withKeep) command.Options.Add(_keep);
        command.Options.Add(_config);
    }

    /// <summary>Checks every value and captures the layout; <paramref name="target"/> overrides --to and the config file.</summary>
    public BackupJob Prepare(ParseResult result, IToolRunner runner, ILogger log, string? target = null,
        long? defaultChunkSize = null, IReadOnlyList<string>? extraExcludes = null)
    {
        var configPath = result.GetValue(_config);
        var config = BackupConfigFile.Load(configPath ?? BackupConfigFile.DefaultPath, configPath is not null);
        var targetSource = target is not null || result.GetValue(_to) is not null ? "--to" : $"the target of {configPath ?? BackupConfigFile.DefaultPath}";
        target ??= result.GetValue(_to) ?? config.Target ?? DefaultTarget;
        var nfs = NfsUrl.IsNfs(target) ? NfsUrl.Parse(target, targetSource) : null;
        var usb = UsbDataLabel.IsUsb(target) ? UsbDataLabel.Parse(target, targetSource) : null;
        var since = result.GetValue(_since);
        if (since is not null && NfsUrl.IsNfs(since) && nfs?.RelativePathOf(NfsUrl.Parse(since, "--since")) is null)
            throw new BadInputException(
                $"--since {since} is not a backup on the target {nfs?.ToString() ?? target}: an incremental must sit beside its base; give its id");
        var compression = SetCompression.Choose(result.GetValue(_compression) ?? config.Compression ?? SetCompression.Zstd,
            result.GetValue(_level) ?? config.Level, "--compression", "--level");
        var chunkText = result.GetValue(_chunkSize) ?? config.ChunkSize;
        var chunkSize = chunkText is null ? defaultChunkSize ?? ChunkSizes.Default : ByteSize.Parse(chunkText, "--chunk-size");
        if (chunkSize < ChunkSizes.Min) throw new BadInputException($"--chunk-size {chunkSize} is below the minimum of 1M");
        var keep = _withTarget ? result.GetValue(_keep) ?? config.Keep : _withKeep ? result.GetValue(_keep) : null;
        if (keep is < 1) throw new BadInputException($"--keep {keep} would delete every backup: keep at least 1");
        var keySource = _key.Source(result);
        var encrypt = result.GetValue(_encrypt);
        if (encrypt && keySource is null) throw new BadInputException("--encrypt needs --key-file FILE or --passphrase-file FILE");
        if (!encrypt && keySource is not null)
            throw new BadInputException("--key-file and --passphrase-file encrypt a backup only with --encrypt: add it");
        var devices = result.GetValue(_device) ?? [];

        var sources = BackupSources.Capture(devices, GlobalOptions.Version, runner, log, "--device");
        var request = new BackupRequest
        {
            Target = target,
            Host = RescueMediaOptions.HostName(),
            Started = GlobalOptions.BuildTime(),
            Filesystems = sources.Filesystems,
            Compression = compression,
            ChunkSize = chunkSize,
            Excludes = [.. config.Excludes, .. result.GetValue(_exclude) ?? [], .. extraExcludes ?? []],
            SwapFiles = sources.SwapFiles,
            Encryption = encrypt ? keySource : null,
            Since = since,
            LayoutJson = sources.LayoutJson,
            ToolVersion = GlobalOptions.Version,
        };
        return new BackupJob(request, keep, nfs, usb);
    }

    /// <summary>Runs <paramref name="job"/> with a progress bar on a terminal, log lines otherwise.</summary>
    public static (BackupSet Set, string Where) Run(BackupJob job, IToolRunner runner, ILogger log, bool quiet,
        CancellationToken cancellationToken) =>
        job.Run(runner, log, write =>
        {
            if (!quiet) return write(new LogProgress(log));
            BackupSet? written = null;
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
                .Start(ctx => written = write(new BarProgress(ctx, log)));
            return written!;
        }, cancellationToken);

    /// <summary>Prints what was written and any warnings; the exit code says whether the backup was clean.</summary>
    public static int Report(BackupSet backup, string where, TimeSpan elapsed)
    {
        var m = backup.Manifest;
        Console.WriteLine($"Backup: {where} ({m.Kind}, {m.Sets.Count} sets, {m.Sets.Sum(s => s.EntryCount)} entries, " +
                          $"{ByteSize.Format(m.Sets.Sum(s => s.ContentBytes))} content, {ByteSize.Format(m.Sets.Sum(s => s.Chunks.Sum(c => c.Size)))} stored, " +
                          $"{elapsed.TotalSeconds:F1} s)");
        if (m.Warnings.Count == 0) return ExitCodes.Ok;
        Console.WriteLine($"Completed with {m.Warnings.Count} warnings (listed in {BackupSetNames.Manifest}):");
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
