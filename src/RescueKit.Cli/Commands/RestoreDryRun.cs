using RescueKit.Backup.Sets;
using RescueKit.Backup.Targets;
using RescueKit.Core;
using RescueKit.Core.Backup;
using RescueKit.Core.Layout;
using RescueKit.Core.Restore;
using RescueKit.Host;
using RescueKit.Restore;
using RescueKit.Restore.Discs;
using RescueKit.Restore.Execution;
using RescueKit.Restore.Mapping;
using RescueKit.Restore.Planning;
using RescueKit.Restore.Review;
using Serilog;
using Spectre.Console;

namespace RescueKit.Cli.Commands;

/// <summary>
/// `rescuekit restore --dry-run`: the plan for this machine (or for the machine a saved lsblk output describes), shown
/// as a table and written as restore-plan.json and restore-plan.sh, with no disk touched.
/// </summary>
internal static class RestoreDryRun
{
    public sealed record Request(string? LayoutFile, string? DisksFile, IReadOnlyList<string> Map, string OutDirectory, string? Backup,
        bool NoResize = false, BackupKey.Source? Key = null, Func<PlanDraft, bool>? Review = null);

    public static int Run(Request request, IAnsiConsole console, IToolRunner runner, RescueEnvironment environment, string version,
        ILogger log, CancellationToken cancellationToken)
    {
        if (request.Backup is null) return Plan(request, console, runner, environment, version, manifest: null, data: null, discs: 1, backupLayout: null);
        // The backup names its sets and carries the layout it was taken with; an NFS one is mounted only while it is read.
        return BackupLocation.Use(request.Backup, runner, log, cancellationToken, location =>
            Plan(request, console, runner, environment, version,
                location.Set.Manifest,
                SetData(location.Set, request.Key, console),
                DiscSeries.VolumesOf(location.Set),
                Path.Combine(location.Set.Directory, BackupSetNames.Layout)));
    }

    /// <summary>What the sets hold; null (and said) when an encrypted incremental backup's catalog needs a key not given:
    /// a dry run still shows the plan.</summary>
    private static IReadOnlyDictionary<string, SetData>? SetData(BackupSet backup, BackupKey.Source? key, IAnsiConsole console)
    {
        try
        {
            return BackupSetData.Of(backup, backup.Key(key));
        }
        catch (BackupKeyNeededException)
        {
            console.WriteLine("Note: without the backup's key its catalog cannot be read, so the plan does not check that the data fits disks of another size (give --key-file or --passphrase-file)");
            return null;
        }
    }

    private static int Plan(Request request, IAnsiConsole console, IToolRunner runner, RescueEnvironment environment, string version,
        BackupManifest? manifest, IReadOnlyDictionary<string, SetData>? data, int discs, string? backupLayout)
    {
        var layoutFile = request.LayoutFile ?? backupLayout ?? RescuePaths.Under(environment.Root, RescuePaths.Layout);
        if (request.LayoutFile is null && backupLayout is null && !File.Exists(layoutFile))
            throw new BadInputException("no layout to plan from: this is not a rescue system, so give the layout with --layout FILE or the backup with --backup");
        var layout = LayoutJson.Load(layoutFile);
        if (layout.Disks.Count == 0)
            throw new BadInputException($"the layout {layoutFile} has no disks (it says: {string.Join("; ", layout.Notes)}): there is nothing to restore onto disks");

        var protectedDevices = TargetMachine.ProtectedDevices(environment.Variables());
        var targets = request.DisksFile is null ? TargetMachine.Live(runner, protectedDevices) : TargetMachine.FromFile(request.DisksFile, protectedDevices);
        // A disc of a series: the plan is the one nuke would run, which reads the backup from its copy of the small
        // files and each disc through the index it writes when it has found them all.
        var options = new RestorePlanOptions { ToolVersion = version,
            Backup = discs > 1 ? DiscSeries.CopyIn(RescuePaths.DiscSeries) : request.Backup,
            ExtractArguments = discs > 1 ? ["--discs", DiscSeries.IndexIn(RescuePaths.DiscSeries)] : [],
            Sets = manifest is null ? null : RestorePlanOptions.MountedSetsOf(manifest),
            UnmountedSets = manifest is null ? new Dictionary<string, string>() : RestorePlanOptions.UnmountedSetsOf(manifest),
            SetData = data, NoResize = request.NoResize };
        RestorePlan plan;
        if (request.Review is { } review)
        {
            var draft = new PlanDraft(layout, targets, options, ParseMap(request.Map));
            if (!review(draft))
            {
                console.WriteLine("Dry run: left without saving a plan; nothing was written to any disk.");
                return ExitCodes.Cancelled;
            }
            plan = draft.Plan();
        }
        else
        {
            var mapping = DiskMapper.Map(layout.Disks, targets, RestorePlanner.MinimumSize(layout, options), ParseMap(request.Map),
                unshrunk: RestorePlanner.RequiredSize);
            if (!mapping.IsComplete) throw new DiskMappingIncompleteException(mapping);
            plan = RestorePlanner.Plan(layout, mapping, options);
        }
        if (discs > 1)
            plan.Notes = [.. plan.Notes, $"the backup spans {discs} discs: nuke copies disc 1's small files to {DiscSeries.CopyIn(RescuePaths.DiscSeries)}, finds or asks for every disc, and the extract steps read them through {DiscSeries.IndexIn(RescuePaths.DiscSeries)}"];
        Show(console, plan);
        foreach (var (program, package) in RestorePreflight.MissingPrograms(plan, runner))
            console.WriteLine($"Note: this machine has no {program} (Debian package {package}); the plan needs it where it runs");
        var json = Path.Combine(request.OutDirectory, "restore-plan.json");
        var script = Path.Combine(request.OutDirectory, "restore-plan.sh");
        AtomicFile.WriteAllText(json, RestorePlanJson.Serialize(plan), "--out");
        AtomicFile.WriteAllText(script, RestorePlanScript.Render(plan, RescuePaths.RestoreMarkers), "--out");
        File.SetUnixFileMode(script, (UnixFileMode)UnixModes.Executable);
        console.WriteLine($"Dry run: nothing was written to any disk. The plan is in {json} and {script}.");
        return ExitCodes.Ok;
    }

    /// <summary>SRC=DST words of --map; a malformed one or a source given twice is bad input.</summary>
    public static Dictionary<string, string> ParseMap(IReadOnlyList<string> words)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var eq = word.IndexOf('=');
            if (eq <= 0 || eq == word.Length - 1)
                throw new BadInputException($"--map '{word}' is not SOURCE=TARGET (e.g. --map /dev/sda=/dev/vda, or /dev/sdb=none to leave a disk out)");
            if (!map.TryAdd(word[..eq], word[(eq + 1)..])) throw new BadInputException($"--map names {word[..eq]} twice");
        }
        return map;
    }

    /// <summary>The mapping error in this command line's words: which --map to give.</summary>
    public static string Wording(DiskMappingIncompleteException e)
    {
        var first = e.Mapping.Unmapped[0].Source;
        return $"{e.Message}. Say which with --map SOURCE=TARGET (e.g. --map {first}=/dev/DISK), or --map {first}=none to leave it out";
    }

    /// <summary>The data error in this command line's words: how to choose another disk.</summary>
    public static string Wording(DataDoesNotFitException e) =>
        e.SourceDisks.Count == 0 ? e.Message : $"{e.Message} with --map {e.SourceDisks[0]}=/dev/DISK";

    private static void Show(IAnsiConsole console, RestorePlan plan)
    {
        foreach (var d in plan.Disks)
            console.WriteLine($"{d.Source} ({ByteSize.Format(d.SourceSize)}) -> {d.Target} ({ByteSize.Format(d.TargetSize)})");
        var table = new Table { Border = TableBorder.Simple };
        table.AddColumn("Step");
        table.AddColumn("Writes");
        table.AddColumn("What it does");
        foreach (var step in plan.Steps)
            table.AddRow(Markup.Escape(step.Id), Markup.Escape(string.Join(' ', step.Writes)), Markup.Escape(step.Purpose));
        console.Write(table);
        foreach (var note in plan.Notes) console.WriteLine($"Note: {note}");
    }
}
