using System.CommandLine;
using System.Diagnostics;
using RescueKit.Core;
using RescueKit.Media;
using RescueKit.Media.BackupMedia;
using RescueKit.Media.Steps;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit mkbackup`: a backup and the rescue medium in one run, the backup on the medium or beside it.</summary>
internal sealed class MkbackupCommand : RescueCommand
{
    public const string DefaultMediaSize = "4.7G";

    private readonly Option<string> _output = new("--output")
    {
        Description = "iso: the rescue ISO with the backup on it (a numbered series when it does not fit one medium); dir: the rescue ISO and the backup side by side",
        Required = true,
    };
    private readonly Option<string> _out = new("--out")
    {
        Description = "Directory the ISOs (and with --output dir the backup) are written to",
        DefaultValueFactory = _ => "/var/lib/rescuekit/output",
    };
    private readonly Option<string> _mediaSize = new("--media-size")
    {
        Description = "Capacity of one medium, in the disc makers' decimal units (4.7G = 4.7e9 bytes), KiB/MiB/GiB, or cd, dvd, dvd-dl, bd",
        DefaultValueFactory = _ => DefaultMediaSize,
    };
    private readonly RescueMediaOptions _media = new(compressionOption: "--initramfs-compression");
    private readonly BackupOptions _backup = new(withTarget: false);

    public MkbackupCommand() : base("mkbackup", "Back up this host and write the rescue ISO carrying the backup (or beside it)")
    {
        _output.AcceptOnlyFromAmong("iso", "dir");
        Options.Add(_output);
        Options.Add(_out);
        Options.Add(_mediaSize);
        _media.AddTo(this);
        _backup.AddTo(this);
    }

    protected override bool QuietConsole => !Console.IsOutputRedirected;

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outDir = Path.GetFullPath(result.GetValue(_out)!);
        var runner = Runner(log);
        var onMedia = result.GetValue(_output) == "iso";
        var capacity = onMedia ? MediaSize.Parse(result.GetValue(_mediaSize)!, "--media-size") : 0;
        Directory.CreateDirectory(outDir);

        // On the media, the set is written to a scratch target first (the ISO writer reads it back), then removed.
        var target = onMedia ? Path.Combine(outDir, $".mkbackup-{Environment.ProcessId}") : Path.Combine(outDir, "backup");
        try
        {
            // Earlier media are not backed up.
            var prepared = _backup.Prepare(result, runner, log, target,
                defaultChunkSize: onMedia ? BackupVolumePlanner.ChunkSizeFor(capacity) : null,
                extraExcludes: [outDir + "/*"]);
            var config = _media.Config(result, outDir, prepared.Request.LayoutJson);
            var (backup, _) = BackupOptions.Run(prepared, runner, log, QuietConsole, cancellationToken);

            IReadOnlyList<string> isos;
            if (onMedia)
            {
                var series = new WriteBackupIsoSeriesStep(backup.Directory, capacity);
                try
                {
                    RescueMediaOptions.Build(config, RescueMediaBuilder.BackupIsoSteps(series), runner, log, QuietConsole, cancellationToken);
                }
                catch (MediumTooSmallException e)
                {
                    throw new BadInputException(
                        $"{e.Problem}: {(e.Chunk is null ? "give a larger --media-size" : "use a smaller --chunk-size")}", e);
                }
                isos = series.Written;
            }
            else
            {
                RescueMediaOptions.Build(config, RescueMediaBuilder.IsoSteps, runner, log, QuietConsole, cancellationToken);
                isos = [config.IsoPath];
            }

            foreach (var (iso, i) in isos.Select((p, i) => (p, i)))
                Console.WriteLine($"Rescue ISO{(isos.Count > 1 ? $" {i + 1} of {isos.Count}" : "")}: {iso} ({new FileInfo(iso).Length / 1048576.0:F1} MiB)");
            return BackupOptions.Report(backup, onMedia ? $"on the ISO{(isos.Count > 1 ? "s" : "")}" : backup.Directory,
                Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            if (onMedia && Directory.Exists(target)) Directory.Delete(target, recursive: true);
        }
    }
}
