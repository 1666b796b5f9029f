using System.CommandLine;
using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Restore.Modes;
using Serilog;

namespace RescueKit.Cli.Commands;

/// <summary>`rescuekit mount-target`: the system on this machine's disks mounted under /mnt/target as the layout has
/// it (arrays assembled, volume groups activated, each filesystem found by its UUID), for an expert to look at or
/// repair — after a restore, or on the disks of a machine that will not boot.</summary>
internal sealed class MountTargetCommand : RescueCommand
{
    private readonly Option<string> _layout = new("--layout") { Description = "The layout.json to follow", DefaultValueFactory = _ => RescuePaths.Layout };
    private readonly Option<string> _root = new("--root") { Description = "Where to mount the system", DefaultValueFactory = _ => RescuePaths.TargetRoot };
    private readonly Option<bool> _readOnly = new("--read-only") { Description = "Mount every filesystem read-only, without replaying journals" };

    public MountTargetCommand() : base("mount-target", "Mount the system on this machine's disks under /mnt/target as the layout has it")
    {
        Options.Add(_layout);
        Options.Add(_root);
        Options.Add(_readOnly);
    }

    protected override int Execute(ParseResult result, ILogger log, CancellationToken cancellationToken)
    {
        var layoutPath = result.GetValue(_layout)!;
        if (!File.Exists(layoutPath))
            throw new BadInputException($"the layout {layoutPath} does not exist: give the backup's layout.json with --layout");
        var root = Path.GetFullPath(result.GetValue(_root)!);
        Directory.CreateDirectory(root);
        foreach (var m in new TargetMounts(Runner(log)).Mount(LayoutJson.Load(layoutPath), root, result.GetValue(_readOnly)))
            Console.WriteLine($"Mounted {m.Device} ({m.MountPoint}) on {m.Directory}");
        Console.WriteLine($"'rescuekit unmount-target{(root == RescuePaths.TargetRoot ? "" : $" --root {root}")}' unmounts it again.");
        return ExitCodes.Ok;
    }
}
