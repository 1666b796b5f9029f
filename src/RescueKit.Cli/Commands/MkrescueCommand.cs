using System.CommandLine;
using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;
using RescueKit.Host;
using RescueKit.Media;
using RescueKit.Media.Usb;
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
    private readonly UsbOptions _usb = new();

    public MkrescueCommand() : base("mkrescue", "Build a bootable rescue medium (BIOS and UEFI, CD and USB, or a host in a PXE tree) from this host's kernel, modules and tools")
    {
        _output.AcceptOnlyFromAmong("iso", "pxe", "usb");
        Options.Add(_output);
        Options.Add(_out);
        _media.AddTo(this);
        _pxe.AddTo(this);
        _usb.AddTo(this);
    }

    protected override bool QuietConsole => !Console.IsOutputRedirected;

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var runner = Runner(log);
        var output = result.GetValue(_output)!;
        if (output == "pxe")
        {
            _usb.RefuseUnlessUsb(result, output);
            return _pxe.Execute(result, _media, CaptureLayout, runner, log, QuietConsole, cancellationToken);
        }
        _pxe.RefuseWithoutPxe(result);
        // The target is checked (and a device confirmed) before the layout capture and the build.
        UsbTarget? usb = null;
        if (output == "usb") usb = _usb.Target(result, runner);
        else _usb.RefuseUnlessUsb(result, output);
        var config = _media.Config(result, result.GetValue(_out)!, CaptureLayout(runner, log));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var context = RescueMediaOptions.Build(config, usb is null ? RescueMediaBuilder.IsoSteps : RescueMediaBuilder.UsbSteps(usb),
            runner, log, QuietConsole, cancellationToken);

        foreach (var note in context.Notes) log.Warning("Note: {Note}", note);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (usb is not null)
        {
            Console.WriteLine($"Rescue USB stick: {usb.Path} (kernel {context.Kernel!.Version}, {seconds:F1} s)");
            return ExitCodes.Ok;
        }
        var size = new FileInfo(config.IsoPath).Length;
        Console.WriteLine($"Rescue ISO: {config.IsoPath} ({size / 1048576.0:F1} MiB, kernel {context.Kernel!.Version}, {seconds:F1} s)");
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
