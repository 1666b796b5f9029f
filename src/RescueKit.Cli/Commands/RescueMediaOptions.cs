using System.CommandLine;
using System.Text.RegularExpressions;
using RescueKit.Core;
using RescueKit.Discovery;
using RescueKit.Host;
using RescueKit.Media;
using RescueKit.Media.Rootfs;
using Serilog;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>What the rescue system is built from, which mkrescue and mkbackup take alike, and the build itself.</summary>
internal sealed partial class RescueMediaOptions
{
    private readonly Option<string?> _kernel = new("--kernel") { Description = "Kernel version or image path (default: the running kernel, else the newest installed)" };
    private readonly Option<string> _modules = new("--modules")
    {
        Description = "host: storage, filesystem, RAID, network, USB, virtio and crypto drivers plus those loaded now; all: every module",
        DefaultValueFactory = _ => "host",
    };
    private readonly Option<string> _compression;
    private readonly Option<string> _label = new("--label") { Description = "ISO volume label (A-Z 0-9 _, at most 32)", DefaultValueFactory = _ => "RESCUEKIT" };
    private readonly Option<string> _serial = new("--serial-console")
    {
        Description = "Serial console as DEVICE,SPEED, or 'none' for VGA only",
        DefaultValueFactory = _ => "ttyS0,115200",
    };
    private readonly Option<string> _secureBoot = new("--secure-boot")
    {
        Description = "auto: UEFI boot through Debian's signed shim and GRUB when the host has them (shim-signed, grub-efi-amd64-signed) and a signed kernel; off: unsigned GRUB",
        DefaultValueFactory = _ => "auto",
    };
    private readonly Option<string?> _rescueBinary = new("--rescue-binary")
    {
        Description = "The native rescuekit binary to put in the rescue system (default: this program)",
        Hidden = true,
    };

    /// <param name="compressionOption">The option's name: mkbackup's own --compression is the backup's.</param>
    public RescueMediaOptions(string compressionOption = "--compression")
    {
        _compression = new Option<string>(compressionOption) { Description = "Initramfs compression", DefaultValueFactory = _ => "zstd" };
        _modules.AcceptOnlyFromAmong("host", "all");
        _compression.AcceptOnlyFromAmong("zstd", "gzip");
        _secureBoot.AcceptOnlyFromAmong("auto", "off");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_kernel);
        command.Options.Add(_modules);
        command.Options.Add(_compression);
        command.Options.Add(_label);
        command.Options.Add(_serial);
        command.Options.Add(_secureBoot);
        command.Options.Add(_rescueBinary);
    }

    /// <summary>The frozen build config for a medium written to <paramref name="outputDirectory"/>; bad values are refused here.</summary>
    public RescueConfig Config(ParseResult result, string outputDirectory, string? layoutJson)
    {
        var label = result.GetValue(_label)!;
        if (!LabelPattern().IsMatch(label))
            throw new BadInputException($"--label '{label}' is not a valid ISO volume label: use 1-32 characters A-Z, 0-9 and _");
        var serial = result.GetValue(_serial)!;
        string? serialConsole = serial == "none" ? null : serial;
        if (serialConsole is not null) BootMenus.ParseSerial(serialConsole, "--serial-console");

        var config = new RescueConfig
        {
            OutputDirectory = Path.GetFullPath(outputDirectory),
            HostName = HostName(),
            Kernel = result.GetValue(_kernel),
            Modules = result.GetValue(_modules) == "all" ? ModuleSelection.All : ModuleSelection.Host,
            Compression = result.GetValue(_compression) == "gzip" ? InitramfsCompression.Gzip : InitramfsCompression.Zstd,
            Label = label,
            SerialConsole = serialConsole,
            SecureBoot = result.GetValue(_secureBoot) == "auto",
            Timestamp = GlobalOptions.BuildTime(),
            RescueBinary = result.GetValue(_rescueBinary) ?? SelfBinary(),
            Version = GlobalOptions.Version,
            LayoutJson = layoutJson,
        };
        if (config.Compression == InitramfsCompression.Zstd && !Host.Compression.ZstdCompressStream.IsAvailable())
            throw new MissingPrerequisiteException("the zstd library libzstd.so.1", "libzstd1", "or use --compression gzip");
        return config;
    }

    /// <summary>Runs the build steps with a progress bar on a terminal (<paramref name="quiet"/>), log lines otherwise.</summary>
    public static BuildContext Build(RescueConfig config, IReadOnlyList<IBuildStep> steps, IToolRunner runner, ILogger log,
        bool quiet, CancellationToken cancellationToken)
    {
        var builder = new RescueMediaBuilder(runner, log);
        if (!quiet) return builder.Build(config, steps, new LogProgress(log), cancellationToken);
        BuildContext? built = null;
        AnsiConsole.Progress().AutoClear(false).Start(ctx =>
            built = builder.Build(config, steps, new BarProgress(ctx), cancellationToken));
        return built!;
    }

    /// <summary>The binary to embed: this process when it is the native build, which needs no .NET runtime.</summary>
    private static string SelfBinary()
    {
        var self = Environment.ProcessPath;
        // Only the NativeAOT build lacks dynamic code, and only it runs in the rescue system on its own.
        if (self is null || System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
            throw new BadInputException(
                "this rescuekit is not the native build, so it cannot copy itself into the rescue system: run the published binary (make publish) or pass --rescue-binary");
        return self;
    }

    public static string HostName()
    {
        var name = Environment.MachineName.Split('.')[0];
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return safe.Length == 0 ? "localhost" : safe;
    }

    [GeneratedRegex("^[A-Z0-9_]{1,32}$")]
    private static partial Regex LabelPattern();
}
