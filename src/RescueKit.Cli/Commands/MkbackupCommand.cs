using System.CommandLine;
using System.Diagnostics;
using RescueKit.Backup.Targets;
using RescueKit.Core;
using RescueKit.Media;
using RescueKit.Media.Usb;
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
        Description = "iso: the rescue ISO with the backup on it (a numbered series when it does not fit one medium); dir: the rescue ISO and the backup side by side; usb: a rescue USB stick (or image) with the backup in its data partition",
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
    private readonly BackupOptions _backup = new(withTarget: false, withKeep: true);
    // --device names the disks to back up, so the stick is --usb-device.
    private readonly UsbOptions _usb = new("--usb-device");

    public MkbackupCommand() : base("mkbackup", "Back up this host and write the rescue ISO carrying the backup (or beside it)")
    {
        _output.AcceptOnlyFromAmong("iso", "dir", "usb");
        Options.Add(_output);
        Options.Add(_out);
        Options.Add(_mediaSize);
        _media.AddTo(this);
        _backup.AddTo(this);
        _usb.AddTo(this);
    }

    protected override bool QuietConsole => !Console.IsOutputRedirected;

    /// <summary>
    /// The rescue system written to the stick as `mkrescue --output usb` does, then the backup written straight into
    /// its data partition, mounted through a loop device of the partition's bytes (docs/usb.md); --keep prunes there.
    /// </summary>
    private int ExecuteUsb(ParseResult result, string outDir, Host.IToolRunner runner, ILogger log, long started, CancellationToken cancellationToken)
    {
        if (result.GetResult(_mediaSize) is { Implicit: false })
            throw new BadInputException("--media-size is for --output iso: a USB stick is as big as it is (give --size for an --image)");
        var usb = _usb.Target(result, runner);
        var image = _usb.ImagePath(result);
        var prepared = _backup.Prepare(result, runner, log, outDir,
            extraExcludes: [outDir + "/*", .. image is null ? Array.Empty<string>() : [image, image + ".partial"]]);
        var config = _media.Config(result, outDir, prepared.Request.LayoutJson);
        var context = RescueMediaOptions.Build(config, RescueMediaBuilder.UsbSteps(usb), runner, log, QuietConsole, cancellationToken);
        foreach (var note in context.Notes) log.Warning("Note: {Note}", note);

        var (offset, bytes, diskBytes) = UsbStickProbe.DataPartition(usb);
        var job = prepared with { UsbPartition = new UsbDataPartition(usb.Path, offset, bytes, diskBytes, UsbLayout.DataLabel) };
        try
        {
            var (backup, where) = BackupOptions.Run(job, runner, log, QuietConsole, cancellationToken);
            Console.WriteLine($"Rescue USB stick: {usb.Path} (kernel {context.Kernel!.Version})");
            return BackupOptions.Report(backup, $"{where} on {usb.Path}", Stopwatch.GetElapsedTime(started));
        }
        catch (UsbDataPartitionFullException e)
        {
            throw new BadInputException(
                $"the backup does not fit the data partition of {usb.Path} ({UsbLayout.Size(e.FreeBytes)} free of {UsbLayout.Size(bytes)}; " +
                $"the file systems backed up use {UsbLayout.Size(e.SourceBytes)}): the rescue system on it is written, the backup is not; " +
                $"use a stick of at least {UsbLayout.Size(e.NeededDiskBytes)} ({e.NeededDiskBytes} bytes)" +
                (usb.IsDevice ? "" : $" (--image with --wipe --size {e.NeededDiskBytes / UsbLayout.MiB}MiB)") + ", or back up fewer file systems (--device)", e);
        }
    }

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outDir = Path.GetFullPath(result.GetValue(_out)!);
        var runner = Runner(log);
        var output = result.GetValue(_output)!;
        if (output == "usb") return ExecuteUsb(result, outDir, runner, log, started, cancellationToken);
        _usb.RefuseUnlessUsb(result, output);
        if (_backup.KeepGiven(result))
            throw new BadInputException($"--keep is for --output usb (a stick keeps several backups), not --output {output}: leave it out");
        var onMedia = output == "iso";
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
