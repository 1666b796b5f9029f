using RescueKit.Core.Restore;

namespace RescueKit.Restore.Planning;

/// <summary>
/// Collects the steps of a plan in the order they are added and works out what each depends on from the devices it
/// uses: a step depends on the step that made each device it reads, so the order of the plan is a topological order
/// by construction and the dependencies are never written by hand.
/// </summary>
internal sealed class PlanBuilder
{
    private readonly List<RestoreStep> _steps = [];
    private readonly Dictionary<string, string> _madeBy = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public IReadOnlyList<RestoreStep> Steps => _steps;

    public List<string> Notes { get; } = [];

    /// <param name="reads">Devices (or target paths) the step needs made first.</param>
    /// <param name="makes">Devices (or target paths) the step makes: later steps that read them depend on it.</param>
    /// <param name="writes">Block devices it writes (the disks a dry run shows as touched).</param>
    public void Add(string id, string kind, string purpose, IReadOnlyList<string> argv, IEnumerable<string> reads,
        IEnumerable<string> makes, IEnumerable<string> writes, string? input = null, IEnumerable<string>? after = null,
        IReadOnlyList<int>? warningExitCodes = null, string? secretInput = null)
    {
        if (!_ids.Add(id)) throw new InvalidOperationException($"the plan has two steps called {id}");
        var depends = reads.Select(r => _madeBy.GetValueOrDefault(r)).OfType<string>().Concat(after ?? [])
            .Distinct(StringComparer.Ordinal).ToList();
        _steps.Add(new RestoreStep
        {
            Id = id, Kind = kind, Purpose = purpose, Argv = argv, Input = input, DependsOn = depends, Writes = writes.Distinct().ToList(),
            WarningExitCodes = warningExitCodes ?? [], SecretInput = secretInput,
        });
        foreach (var m in makes) _madeBy[m] = id;
    }

    /// <summary>The id of the step that made <paramref name="device"/>, or null when none did (it was there).</summary>
    public string? MadeBy(string device) => _madeBy.GetValueOrDefault(device);

    /// <summary>"/dev/md/data" → "md-data", "/mnt/target/boot/efi" → "boot-efi": the tail of a path as an id part.</summary>
    public static string IdOf(string path)
    {
        var tail = path.StartsWith("/dev/", StringComparison.Ordinal) ? path[5..] : path;
        var id = new string(tail.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '-').ToArray()).Trim('-');
        return id.Length == 0 ? "root" : id;
    }
}
