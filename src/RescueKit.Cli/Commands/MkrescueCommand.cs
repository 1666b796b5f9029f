using System.CommandLine;
using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;
using RescueKit.Host;
using RescueKit.Media;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit mkrescue`: a bootable rescue medium of this host, carrying its disk layout.</summary>
internal sealed class MkrescueCommand : RescueCommand
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
    private readonly RescueMediaOptions _media = new();
    private readonly PxeOutputOptions _pxe = new();

    public MkrescueCommand() : base("mkrescue", "Build a bootable rescue medium (BIOS and UEFI, CD and USB, or a host in a PXE tree) from this host's kernel, modules and tools")
    {
        _output.AcceptOnlyFromAmong("iso", "pxe");
        Options.Add(_output);
        Options.Add(_out);
        _media.AddTo(this);
        _pxe.AddTo(this);
    }

    protected override bool QuietConsole => !Console.IsOutputRedirected;

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var runner = Runner(log);
        if (result.GetValue(_output) == "pxe") return _pxe.Execute(result, _media, CaptureLayout, runner, log, QuietConsole, cancellationToken);
        _pxe.RefuseWithoutPxe(result);
        var config = _media.Config(result, result.GetValue(_out)!, CaptureLayout(runner, log));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var context = RescueMediaOptions.Build(config, RescueMediaBuilder.IsoSteps, runner, log, QuietConsole, cancellationToken);

        foreach (var note in context.Notes) log.Warning("Note: {Note}", note);
        var size = new FileInfo(config.IsoPath).Length;
        Console.WriteLine($"Rescue ISO: {config.IsoPath} ({size / 1048576.0:F1} MiB, kernel {context.Kernel!.Version}, " +
                          $"{System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s)");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// This host's layout for the medium. A rescue system without one still boots into the expert shell, so a host
    /// whose layout cannot be read (a container without lsblk, say) gets its medium with a warning, not an error.
    /// </summary>
    internal static string? CaptureLayout(IToolRunner runner, ILogger log)
    {
        try
        {
            return LayoutJson.Serialize(new LayoutCapture(runner, log).Capture(new LayoutCaptureOptions { ToolVersion = GlobalOptions.Version }));
        }
        catch (RescueKitException e)
        {
            log.Warning("The disk layout could not be captured, so the medium carries an empty one ({Error}): run 'rescuekit layout save' to see why", e.Message);
            return null;
        }
    }
}
