using System.Text.Json;
using RescueKit.Tests.Shared;

namespace RescueKit.Cli.Tests;

/// <summary>A scratch directory with a loop-mounted ext4 source and a backup target, and the rescuekit runs on them.</summary>
internal sealed class BackupScratch : IDisposable
{
    public BackupScratch(string size = "256M")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("rk-backup-cli-").FullName;
        Target = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "target")).FullName;
        Source = new LoopFilesystem(Directory, size);
    }

    public string Directory { get; }
    public string Target { get; }
    public LoopFilesystem Source { get; }

    /// <summary>`rescuekit backup --device LOOP --to TARGET ...`, with a config file that does not exist (the host's
    /// /etc/rescuekit/rescuekit.yaml must not change what the test does).</summary>
    public Rescuekit.Result Backup(params string[] extra) =>
        Rescuekit.Run(["backup", "--device", Source.Device, "--to", Target, "--config", NoConfig, .. extra]);

    public string NoConfig
    {
        get
        {
            var path = Path.Combine(Directory, "empty.yaml");
            if (!File.Exists(path)) File.WriteAllText(path, "");
            return path;
        }
    }

    /// <summary>The complete backups in the target (directories with a manifest), oldest first.</summary>
    public IReadOnlyList<string> Backups() =>
        System.IO.Directory.EnumerateDirectories(Target, "*", SearchOption.AllDirectories)
            .Where(d => File.Exists(Path.Combine(d, "manifest.json")) && !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>The backup a successful run printed ("Backup: DIR (...").</summary>
    public static string BackupDirectory(Rescuekit.Result r)
    {
        Assert.That(r.ExitCode, Is.EqualTo(0).Or.EqualTo(6), r.Stderr + r.Stdout);
        var line = r.Stdout.Split('\n').Single(l => l.StartsWith("Backup: ", StringComparison.Ordinal));
        return line["Backup: ".Length..line.IndexOf(" (", StringComparison.Ordinal)];
    }

    public static JsonElement Manifest(string backup) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(backup, "manifest.json"))).RootElement;

    /// <summary>The chunk files of the backup's only set, in order.</summary>
    public static IReadOnlyList<string> Chunks(string backup) =>
        Manifest(backup).GetProperty("sets")[0].GetProperty("chunks").EnumerateArray()
            .Select(c => Path.Combine(backup, c.GetProperty("file").GetString()!)).ToList();

    /// <summary>find(1) under a directory (not the directory itself): it sees the hidden staging directories as they are.</summary>
    public static IReadOnlyList<string> Find(string directory, params string[] expression) =>
        ExternalTool.RunOk("find", "findutils", [directory, "-mindepth", "1", .. expression])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();

    public string NewDirectory(string name) => System.IO.Directory.CreateDirectory(Path.Combine(Directory, name)).FullName;

    public void Dispose()
    {
        Source.Dispose();
        ExternalTool.Run("umount", "mount", ["-R", Target]);
        ExternalTool.RunOk("rm", "coreutils", ["-rf", Directory]);
    }
}
