using System.CommandLine;
using System.Text.RegularExpressions;
using RescueKit.Core;
using RescueKit.Discovery;
using RescueKit.Media;
using RescueKit.Media.Rootfs;
using Serilog;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit mkrescue`: a bootable rescue medium of this host.</summary>
internal sealed partial class MkrescueCommand : RescueCommand
{
    private readonly Option<string> _output = new("--output")
    {
        Description = "Kind of medium to build",
        Required = true,
    };
    private readonly Option<string> _out = new("--out")
    {
        Description = "Directory the medium is written to",
        DefaultValueFactory = _ => "/var/lib/rescuekit/output",
    };
    private readonly Option<string?> _kernel = new("--kernel") { Description = "Kernel version or image path (default: the running kernel, else the newest installed)" };
    private readonly Option<string> _modules = new("--modules")
    {
        Description = "host: storage, filesystem, RAID, network, USB, virtio and crypto drivers plus those loaded now; all: every module",
        DefaultValueFactory = _ => "host",
    };
    private readonly Option<string> _compression = new("--compression") { Description = "Initramfs compression", DefaultValueFactory = _ => "zstd" };
    private readonly Option<string> _label = new("--label") { Description = "ISO volume label (A-Z 0-9 _, at most 32)", DefaultValueFactory = _ => "RESCUEKIT" };
    private readonly Option<string> _serial = new("--serial-console")
    {
        Description = "Serial console as DEVICE,SPEED, or 'none' for VGA only",
        DefaultValueFactory = _ => "ttyS0,115200",
    };
    private readonly Option<string?> _rescueBinary = new("--rescue-binary")
    {
        Description = "The self-contained rescuekit binary to put in the rescue system (default: this program)",
        Hidden = true,
    };

    public MkrescueCommand() : base("mkrescue", "Build a bootable rescue medium (BIOS and UEFI, CD and USB) from this host's kernel, modules and tools")
    {
        _output.AcceptOnlyFromAmong("iso");
        _modules.AcceptOnlyFromAmong("host", "all");
        _compression.AcceptOnlyFromAmong("zstd", "gzip");
        Options.Add(_output);
        Options.Add(_out);
        Options.Add(_kernel);
        Options.Add(_modules);
        Options.Add(_compression);
        Options.Add(_label);
        Options.Add(_serial);
        Options.Add(_rescueBinary);
    }

    protected override bool QuietConsole => !Console.IsOutputRedirected;

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var label = result.GetValue(_label)!;
        if (!LabelPattern().IsMatch(label))
            throw new BadInputException($"--label '{label}' is not a valid ISO volume label: use 1-32 characters A-Z, 0-9 and _");
        var serial = result.GetValue(_serial)!;
        string? serialConsole = serial == "none" ? null : serial;
        if (serialConsole is not null) BootMenus.ParseSerial(serialConsole);

        var config = new RescueConfig
        {
            OutputDirectory = Path.GetFullPath(result.GetValue(_out)!),
            HostName = HostName(),
            Kernel = result.GetValue(_kernel),
            Modules = result.GetValue(_modules) == "all" ? ModuleSelection.All : ModuleSelection.Host,
            Compression = result.GetValue(_compression) == "gzip" ? InitramfsCompression.Gzip : InitramfsCompression.Zstd,
            Label = label,
            SerialConsole = serialConsole,
            Timestamp = GlobalOptions.BuildTime(),
            RescueBinary = result.GetValue(_rescueBinary) ?? SelfBinary(),
            Version = GlobalOptions.Version,
        };
        if (config.Compression == InitramfsCompression.Zstd && !Core.Compression.ZstdCompressStream.IsAvailable())
            throw new MissingPrerequisiteException("the zstd library libzstd.so.1", "libzstd1", "or use --compression gzip");

        var builder = new RescueMediaBuilder(Runner(log), log);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        BuildContext context;
        if (QuietConsole)
        {
            BuildContext? built = null;
            AnsiConsole.Progress().AutoClear(false).Start(ctx =>
                built = builder.Build(config, RescueMediaBuilder.IsoSteps, new BarProgress(ctx), cancellationToken));
            context = built!;
        }
        else
        {
            context = builder.Build(config, RescueMediaBuilder.IsoSteps, new LogProgress(log), cancellationToken);
        }

        foreach (var note in context.Notes) log.Warning("Note: {Note}", note);
        var size = new FileInfo(config.IsoPath).Length;
        Console.WriteLine($"Rescue ISO: {config.IsoPath} ({size / 1048576.0:F1} MiB, kernel {context.Kernel!.Version}, " +
                          $"{System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s)");
        return ExitCodes.Ok;
    }

    /// <summary>The binary to embed: this process when it runs as the self-contained single-file build.</summary>
    private static string SelfBinary()
    {
        var self = Environment.ProcessPath;
        // Location is empty exactly when this assembly runs from a single-file bundle, which is what we need to know.
#pragma warning disable IL3000
        var singleFile = string.IsNullOrEmpty(typeof(MkrescueCommand).Assembly.Location);
#pragma warning restore IL3000
        if (self is null || !singleFile)
            throw new BadInputException(
                "this rescuekit is not the self-contained single-file build, so it cannot copy itself into the rescue system: run the published binary (make publish) or pass --rescue-binary");
        return self;
    }

    internal static string HostName()
    {
        var name = Environment.MachineName.Split('.')[0];
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return safe.Length == 0 ? "localhost" : safe;
    }

    [GeneratedRegex("^[A-Z0-9_]{1,32}$")]
    private static partial Regex LabelPattern();
}
