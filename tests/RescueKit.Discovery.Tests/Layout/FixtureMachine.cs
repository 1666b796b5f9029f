using RescueKit.Core;
using RescueKit.Discovery.Layout;
using RescueKit.Host;

namespace RescueKit.Discovery.Tests.Layout;

/// <summary>
/// A machine of the VM lab as its fixture directory recorded it: commands.txt lists "exit-code TAB file TAB command"
/// for every tool run and every file read ("cat PATH") in the guest. Layout capture runs against it as against a live
/// host; a command the fixture did not record fails the test, so the capture cannot ask for what the lab never saw.
/// </summary>
internal sealed class FixtureMachine : IToolRunner, IHostFiles
{
    private readonly string _directory;
    private readonly Dictionary<string, (int ExitCode, string File)> _commands = new(StringComparer.Ordinal);

    private readonly HashSet<string> _uninstalled;

    /// <param name="uninstalled">Tools this machine lacks, as if their package were not installed.</param>
    public FixtureMachine(string configuration, params string[] uninstalled)
    {
        _uninstalled = [.. uninstalled];
        _directory = Fixtures.Layout(configuration);
        foreach (var line in File.ReadAllLines(Path.Combine(_directory, "commands.txt")).Where(l => l.Length > 0))
        {
            var f = line.Split('\t', 3);
            _commands[f[2]] = (int.Parse(f[0]), f[1]);
        }
    }

    public List<string> Ran { get; } = [];

    /// <summary>Answers <paramref name="command"/> with another file of the fixture directory: a hand-edited variant
    /// of what the lab recorded, for hardware the lab does not have.</summary>
    public FixtureMachine Answer(string command, string file)
    {
        _commands[command] = (0, file);
        return this;
    }

    public ToolResult Run(IReadOnlyList<string> argv, IReadOnlyCollection<int>? allowedExitCodes = null,
        string? workingDirectory = null, CancellationToken cancellationToken = default, string? standardInput = null,
        TimeSpan? timeout = null, Action<string>? standardOutputLine = null)
    {
        var command = string.Join(' ', argv);
        if (_uninstalled.Contains(argv[0])) throw new AssertionException($"the capture ran '{command}', which is not installed");
        if (!_commands.TryGetValue(command, out var recorded))
            throw new AssertionException($"the capture ran '{command}', which the fixture {_directory} did not record");
        Ran.Add(command);
        var result = new ToolResult(argv, recorded.ExitCode, File.ReadAllText(Path.Combine(_directory, recorded.File)), "");
        if (recorded.ExitCode != 0 && !(allowedExitCodes?.Contains(recorded.ExitCode) ?? false)) throw new ToolFailedException(result);
        return result;
    }

    /// <summary>The lab guest runs the host's own tools (hostrun), so every tool the host has is there.</summary>
    public string? Find(string program) =>
        _uninstalled.Contains(program) ? null : new ToolRunner(Serilog.Core.Logger.None).Find(program);

    public string? ReadText(string path) =>
        _commands.TryGetValue("cat " + path, out var recorded) ? File.ReadAllText(Path.Combine(_directory, recorded.File)) : null;

    /// <summary>The lab guests boot SeaBIOS unless the fixture recorded a listing of the EFI firmware directory.</summary>
    public bool DirectoryExists(string path) => _commands.ContainsKey("ls " + path);

    /// <summary>Boot sectors are not recorded: a fixture machine has no GRUB on its disks.</summary>
    public byte[]? ReadStart(string path, int count) => null;
}

/// <summary>The layout fixtures, read where they are checked in (tests/RescueKit.Discovery.Tests/Fixtures/layout).</summary>
internal static class Fixtures
{
    public static string Layout(string configuration)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RescueKit.sln"))) dir = dir.Parent;
        if (dir is null) Assert.Fail($"no RescueKit.sln above {AppContext.BaseDirectory}: run the tests from the repository");
        return Path.Combine(dir!.FullName, "tests", "RescueKit.Discovery.Tests", "Fixtures", "layout", configuration);
    }

    public static string Read(string configuration, string file) => File.ReadAllText(Path.Combine(Layout(configuration), file));

    /// <summary>
    /// A value from a fixture's blkid.txt, found by plain line scanning: the KEY of the block whose DEVNAME is
    /// <paramref name="device"/>. Tests take UUIDs from here (a source independent of the tool output they check),
    /// so they keep passing when the lab captures a configuration again with new UUIDs.
    /// </summary>
    public static string Blkid(string configuration, string device, string key)
    {
        var inBlock = false;
        foreach (var line in File.ReadAllLines(Path.Combine(Layout(configuration), "blkid.txt")))
        {
            if (line.StartsWith("DEVNAME=")) inBlock = line == "DEVNAME=" + device;
            else if (inBlock && line.StartsWith(key + "=")) return line[(key.Length + 1)..];
        }
        Assert.Fail($"{configuration}/blkid.txt has no {key} for {device}");
        return null!;
    }
}
