using System.Globalization;
using RescueKit.Core;
using RescueKit.Core.Layout;
using RescueKit.Host;
using Serilog;

namespace RescueKit.Discovery.Layout;

/// <summary>
/// Captures the storage layout (docs/layout.md) of the whole host or of given disks, loop devices and image files, from
/// the tools' machine-readable output: lsblk, sfdisk and blkid (required), mdadm, lvm, cryptsetup, dumpe2fs, xfs_info,
/// btrfs and efibootmgr (optional: a missing one leaves a note in the layout), /proc and /etc/fstab.
/// </summary>
public sealed partial class LayoutCapture
{
    private static readonly string[] RequiredTools = ["lsblk", "sfdisk", "blkid"];

    private readonly IToolRunner _runner;
    private readonly ILogger _log;
    private readonly IHostFiles _files;

    public LayoutCapture(IToolRunner runner, ILogger log) : this(runner, log, LiveHostFiles.Instance)
    {
    }

    internal LayoutCapture(IToolRunner runner, ILogger log, IHostFiles files)
    {
        _runner = runner;
        _log = log;
        _files = files;
    }

    public HostLayout Capture(LayoutCaptureOptions options)
    {
        foreach (var tool in RequiredTools)
            if (_runner.Find(tool) is null)
                throw new MissingPrerequisiteException($"the program '{tool}'", DebianPackages.For(tool), "layout capture reads the disks with it");

        var session = new Session(options.Devices.Count == 0);
        var sources = session.WholeHost ? HostDisks() : options.Devices.Select(d => ResolveDevice(d, options.DeviceInput)).ToList();
        var duplicate = sources.GroupBy(s => s.Path).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new BadInputException($"{options.DeviceInput} '{duplicate.Key}' is given twice: give each disk once");

        var disks = sources.Select(s => ReadDisk(s, session)).ToList();
        ProbeAll(session);

        var mounts = ReadHostFile(session, MountInfo.ProcPath, MountInfo.Parse) ?? [];
        var filesystems = Filesystems(session, mounts);
        var layout = new HostLayout
        {
            ToolVersion = options.ToolVersion ?? AssemblyVersion(),
            // Whole seconds: the time is for people and for `layout check`'s message, not for ordering captures.
            CapturedAt = DateTimeOffset.FromUnixTimeSeconds(options.Clock.GetUtcNow().ToUnixTimeSeconds()),
            HostName = session.WholeHost ? Environment.MachineName : null,
            Scope = options.Devices.Select(d => session.WholeHost ? d : Path.GetFullPath(d)).ToArray(),
            Disks = disks,
            MdArrays = MdArrays(session),
            Lvm = Lvm(session),
            Luks = LuksDevices(session),
            Filesystems = filesystems,
            Swaps = Swaps(session),
            Fstab = session.WholeHost ? ReadHostFile(session, Fstab.EtcPath, Fstab.Parse) ?? [] : [],
            BootLoader = BootLoader(session, disks, filesystems),
        };
        return layout with { Notes = session.Notes };
    }

    /// <summary>What one capture collects on its way: the block devices in scope, their probes, the notes.</summary>
    private sealed class Session(bool wholeHost)
    {
        public bool WholeHost { get; } = wholeHost;

        /// <summary>Every block device in scope by path, disks first, in lsblk's order.</summary>
        public Dictionary<string, Node> Nodes { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, BlkidProbe> Probes { get; } = new(StringComparer.Ordinal);

        /// <summary>The device nodes of extended MBR partitions.</summary>
        public HashSet<string> Extended { get; } = new(StringComparer.Ordinal);
        public List<string> Notes { get; } = [];

        public void Add(Node node) => Nodes.TryAdd(node.Path, node);

        /// <summary>The nodes blkid found something on, in node order.</summary>
        public IEnumerable<(Node Node, BlkidProbe Probe)> Probed() =>
            Nodes.Values.Where(n => Probes.ContainsKey(n.Path)).Select(n => (n, Probes[n.Path]));

        /// <summary>The node a tool or /proc names by its path or by the kernel name (/dev/dm-0).</summary>
        public Node? Find(string path) =>
            Nodes.TryGetValue(path, out var n) ? n : Nodes.Values.FirstOrDefault(x => x.KName is not null && "/dev/" + x.KName == path);
    }

    /// <summary>
    /// A block device in scope. <see cref="Container"/> is set for a partition that has no device node of its own (in an
    /// image file, or on a loop device without partition scanning): it is read at <see cref="Offset"/> bytes into it.
    /// </summary>
    private sealed record Node(string Path, string? KName, string? MajMin, string Type, long Size, LsblkDevice? Lsblk,
        string? Container = null, long Offset = 0);

    /// <summary>A disk to capture: from lsblk, or an image file (no lsblk entry).</summary>
    private sealed record DiskSource(string Path, LsblkDevice? Lsblk, long Size);

    private void Note(Session session, string note)
    {
        _log.Information("Note: {Note}", note);
        session.Notes.Add(note);
    }

    /// <summary>Runs an optional tool: null (and a note saying what is missing from the layout) when it is absent or fails.</summary>
    private string? RunOptional(Session session, IReadOnlyList<string> argv, string what, IReadOnlyCollection<int>? allowedExitCodes = null)
    {
        if (_runner.Find(argv[0]) is null)
        {
            Note(session, $"{argv[0]} is not installed (apt-get install {DebianPackages.For(argv[0])}): {what} not captured");
            return null;
        }
        try
        {
            return _runner.Run(argv, allowedExitCodes).StandardOutput;
        }
        catch (ToolFailedException e)
        {
            Note(session, $"{e.Message}: {what} not captured");
            return null;
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on <paramref name="node"/>'s device, or, for a partition with no device node of its
    /// own, on a read-only loop device attached at its offset for the length of the call: for the tools that take no
    /// offset (xfs_info, cryptsetup). Null, with a note, when no loop device can be attached (not root, no loop driver).
    /// </summary>
    private string? OnDevice(Session session, Node node, string what, Func<string, string?> read)
    {
        if (node.Container is null) return read(node.Path);
        var loop = RunOptional(session, ["losetup", "--find", "--show", "--read-only",
            "--offset", node.Offset.ToString(CultureInfo.InvariantCulture), "--sizelimit", node.Size.ToString(CultureInfo.InvariantCulture),
            node.Container], $"{what} (read through a loop device at its offset into {node.Container})")?.Trim();
        if (string.IsNullOrEmpty(loop)) return null;
        try
        {
            return read(loop);
        }
        finally
        {
            try
            {
                _runner.Run(["losetup", "--detach", loop]);
            }
            catch (ToolFailedException e)
            {
                _log.Warning("Could not detach {Loop}: {Error}", loop, e.Message);
            }
        }
    }

    /// <summary>Parses an optional source; output the parser does not understand becomes a note, not a failed capture.</summary>
    private T? ParseOptional<T>(Session session, string? text, Func<string, T> parse, string what) where T : class
    {
        if (text is null) return null;
        try
        {
            return parse(text);
        }
        catch (InvalidDataException e)
        {
            Note(session, $"{what} not captured: {e.Message}");
            return null;
        }
    }

    /// <summary>Parses a host file (/proc, /etc); an absent one gives null, one it does not understand a note.</summary>
    private T? ReadHostFile<T>(Session session, string path, Func<string, T> parse) where T : class =>
        ParseOptional(session, _files.ReadText(path), parse, path);

    /// <summary>Parses a required tool's output: output it does not understand fails the capture with a clear error.</summary>
    private static T ParseRequired<T>(string text, Func<string, T> parse, string source)
    {
        try
        {
            return parse(text);
        }
        catch (InvalidDataException e)
        {
            throw new RescueKitException($"cannot read the output of '{source}': {e.Message}", ExitCodes.Failed, e);
        }
    }

    private static string AssemblyVersion() =>
        typeof(LayoutCapture).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";
}
