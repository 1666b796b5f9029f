using System.CommandLine;
using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Discovery.Layout;
using RescueKit.Host;
using Serilog;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit layout save|show|check`: the disk layout a restore recreates (docs/layout.md).</summary>
internal sealed class LayoutCommand : Command
{
    public const string DefaultPath = "/var/lib/rescuekit/layout.json";

    public LayoutCommand() : base("layout", "Capture, show and check the disk layout (layout.json) a restore recreates")
    {
        Subcommands.Add(new SaveCommand());
        Subcommands.Add(new ShowCommand());
        Subcommands.Add(new CheckCommand());
    }

    private static Option<string[]> DeviceOption() => new("--device")
    {
        Description = "Limit the capture to this disk, loop device or disk image file (repeatable); default: the whole host",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Argument<string> FileArgument() => new("FILE")
    {
        Description = "The layout file",
        DefaultValueFactory = _ => DefaultPath,
    };

    private static HostLayout Capture(IReadOnlyList<string> devices, ILogger log) =>
        new LayoutCapture(new ToolRunner(log), log).Capture(new LayoutCaptureOptions { Devices = devices, ToolVersion = GlobalOptions.Version, DeviceInput = "--device" });

    /// <summary>`layout save`: capture and write layout.json, atomically (a reader never sees half a file).</summary>
    private sealed class SaveCommand : RescueCommand
    {
        private readonly Option<string> _out = new("--out")
        {
            Description = "File to write, '-' for stdout",
            DefaultValueFactory = _ => DefaultPath,
        };
        private readonly Option<string[]> _devices = DeviceOption();

        public SaveCommand() : base("save", "Capture the disk layout (disks, RAID, LVM, LUKS, filesystems, swap, boot loader) into layout.json")
        {
            Options.Add(_out);
            Options.Add(_devices);
        }

        protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
        {
            var layout = Capture(result.GetValue(_devices) ?? [], log);
            var json = LayoutJson.Serialize(layout);
            var target = result.GetValue(_out)!;
            if (target == "-")
            {
                Console.Out.Write(json);
                return ExitCodes.Ok;
            }
            var path = Path.GetFullPath(target);
            AtomicFile.WriteAllText(path, json, "--out");
            Console.WriteLine($"Layout saved: {path} ({Count(layout.Disks.Count, "disk")}, " +
                              $"{Count(layout.Disks.Sum(d => d.Partitions.Count), "partition")}, {Count(layout.Filesystems.Count, "filesystem")})");
            return ExitCodes.Ok;
        }

        private static string Count(int n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";
    }

    /// <summary>`layout show`: the layout as a Mondo-style mountlist, then RAID, LVM, LUKS and the boot loader.</summary>
    private sealed class ShowCommand : RescueCommand
    {
        private readonly Argument<string> _file = FileArgument();

        public ShowCommand() : base("show", "Show a saved layout as a mountlist table (device, mount point, format, size, label/UUID), RAID and LVM")
            => Arguments.Add(_file);

        protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
        {
            var layout = LayoutJson.Load(result.GetValue(_file)!);
            // On a pipe or in a file: no colours, no borders, lines wide enough not to wrap UUIDs.
            var plain = Console.IsOutputRedirected;
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
                Out = new AnsiConsoleOutput(Console.Out),
            });
            if (plain) console.Profile.Width = 200;
            new LayoutView(console, plain).Render(layout);
            return ExitCodes.Ok;
        }
    }

    /// <summary>`layout check`: capture again and compare; exit 1 with the differences when the layout drifted (for cron).</summary>
    private sealed class CheckCommand : RescueCommand
    {
        // Like diff(1) and issue 3's cron use: 1 means "differences found", not a usage error.
        private const int Drifted = 1;

        private readonly Argument<string> _file = FileArgument();
        private readonly Option<string[]> _devices = DeviceOption();

        public CheckCommand() : base("check", "Capture the layout again and compare it with a saved one: exit 0 when it matches, 1 with the differences")
        {
            Arguments.Add(_file);
            _devices.Description = "Capture these devices (default: the devices the saved layout was limited to, else the whole host)";
            Options.Add(_devices);
        }

        protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
        {
            var file = result.GetValue(_file)!;
            var saved = LayoutJson.Load(file);
            var devices = result.GetValue(_devices) is { Length: > 0 } given ? given : saved.Scope;
            var differences = LayoutDiff.Compare(saved, Capture(devices, log));
            if (differences.Count == 0)
            {
                Console.WriteLine($"Layout matches {file}");
                return ExitCodes.Ok;
            }
            Console.WriteLine($"Layout drifted from {file} (saved {saved.CapturedAt:yyyy-MM-dd HH:mm:ss} UTC), {differences.Count} difference(s):");
            foreach (var line in differences) Console.WriteLine("  " + line);
            return Drifted;
        }
    }
}
