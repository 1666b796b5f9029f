using RescueKit.Core;
using Spectre.Console;
using RescueKit.Core.Backup;

namespace RescueKit.Restore;

/// <summary>
/// The restore front-end the rescue system hands over to. It finds the backup the stages located. In nuke and compare
/// mode it hands that backup to <paramref name="nuke"/> or <paramref name="compare"/> once every driver is loaded (the
/// disks must all be there), and in interactive mode to <paramref name="interactive"/> (the terminal UI); expert mode
/// goes straight to the shell; without a backup it says so and offers the shell.
/// </summary>
public sealed class RestoreFrontEnd(IAnsiConsole console, RescueEnvironment environment, string version, Func<int>? startShell = null,
    TimeSpan? devicesLimit = null, Func<RestoreOptions, int>? nuke = null, Func<RestoreOptions, int>? compare = null,
    Func<RestoreOptions, int>? interactive = null)
{
    /// <summary>init's own settle limit (RK_SETTLE_SECONDS, 10 s) with room for the pass before it.</summary>
    public static readonly TimeSpan DefaultDevicesLimit = TimeSpan.FromSeconds(20);

    private readonly Func<int> _startShell = startShell ?? ExpertShell.Start;
    private readonly TimeSpan _devicesLimit = devicesLimit ?? DefaultDevicesLimit;

    /// <summary>The front-end comes up while init may still be loading drivers; whatever uses the disks waits here.</summary>
    private void WaitForDevices()
    {
        if (!File.Exists(environment.DevicesPending)) return;
        console.WriteLine("Waiting for the drivers kept on the rescue medium to finish loading...");
        if (!environment.WaitForDevices(_devicesLimit))
            console.MarkupLineInterpolated(
                $"[yellow]They are still loading after {_devicesLimit.TotalSeconds:0.#} s: some disks or network cards may appear later (see {RescuePaths.InitLog}).[/]");
    }

    public int Run(RestoreOptions options)
    {
        console.WriteLine($"RescueKit {version} restore (mode: {options.Mode.ToString().ToLowerInvariant()})");
        console.WriteLine(SecureBootState.Of(environment).Describe());
        var vars = environment.Variables();
        var source = options.Source ?? vars.GetValueOrDefault(RescuePaths.SourceKey) ?? "auto";
        var media = vars.GetValueOrDefault(RescuePaths.MediaDeviceKey);
        var backupDir = vars.GetValueOrDefault(RescuePaths.BackupDirectoryKey);

        var found = !string.IsNullOrEmpty(backupDir) && File.Exists(Path.Combine(environment.Root, backupDir.TrimStart('/'), BackupSetNames.Manifest));
        // rk.source=http://… (40-media): the backup is read where it is served, by the mode it is handed to.
        var url = found ? null : vars.GetValueOrDefault(RescuePaths.BackupUrlKey);
        var atUrl = !string.IsNullOrEmpty(url);
        var handOver = options.Mode switch
        {
            RestoreMode.Nuke => nuke, RestoreMode.Compare => compare, RestoreMode.Interactive => interactive, _ => null,
        };
        if ((found || atUrl || options.Backup is not null) && handOver is not null)
        {
            if (found) console.WriteLine($"A backup was found at {backupDir}.");
            else if (atUrl && options.Backup is null) console.WriteLine($"The backup is served at {url} (rk.source).");
            WaitForDevices();
            return handOver(options);
        }
        if (options.Mode == RestoreMode.Expert)
        {
            console.WriteLine($"Expert shell{(found ? $"; the backup is at {backupDir}" : "")}. 'rescuekit mount-target' mounts the system on the disks " +
                $"under {RescuePaths.TargetRoot} as the layout has it, 'rescuekit unmount-target' undoes it; 'rescuekit restore --mode nuke' restores, " +
                "'rescuekit restore --dry-run' shows the plan. Type 'exit' to leave.");
            WaitForDevices();
            return _startShell();
        }
        // A RescueKit USB stick's data partition (40-media): the newest is offered above, the older ones listed.
        var older = (vars.GetValueOrDefault(RescuePaths.DataBackupsKey) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(b => b != backupDir).ToList();
        if (older.Count > 0)
            console.WriteLine($"Other backups on the USB data partition {vars.GetValueOrDefault(RescuePaths.DataDeviceKey)}, newest first " +
                              $"('rescuekit restore --mode nuke --backup DIR' restores one):\n  {string.Join("\n  ", older)}");
        if (found)
        {
            console.MarkupLineInterpolated($"[yellow]A backup was found at {backupDir}, but this front-end was given no {options.Mode.ToString().ToLowerInvariant()} mode to hand it to.[/]");
        }
        else
        {
            var where = media is null ? $"source '{source}'" : $"the rescue medium {media} (source '{source}')";
            console.MarkupLineInterpolated($"[yellow]No backup found on {where}.[/] Nothing can be restored from this medium yet.");
        }

        if (options.Mode is RestoreMode.Nuke or RestoreMode.Compare)
        {
            console.WriteLine($"{options.Mode} mode stops here: there is no backup{(options.Mode == RestoreMode.Nuke ? " to restore" : " to compare with")}, and no disk was touched.");
            if (options.Unattended) return ExitCodes.Failed;
        }
        if (options.Unattended)
            return ExitCodes.Failed;

        console.WriteLine("Press Enter for the expert shell (type 'exit' there to leave it).");
        _ = Console.In.ReadLine();
        WaitForDevices();
        return _startShell();
    }
}
