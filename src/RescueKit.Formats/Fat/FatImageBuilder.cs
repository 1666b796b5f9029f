namespace RescueKit.Formats.Fat;

/// <summary>
/// Builds a FAT12/16/32 image (an efiboot.img for El Torito, or an ESP) from a tree of directories and files
/// (formats.md §10). Layout happens once, on first use of <see cref="PlannedSizeBytes"/>, <see cref="PlannedType"/>
/// or <see cref="WriteTo"/>; host files are only read while writing. Output depends only on the inputs.
/// </summary>
public sealed partial class FatImageBuilder
{
    private readonly FatDirectoryNode _root = new("", null);
    private readonly string _volumeLabel;
    private readonly uint _volumeId;
    private readonly DateTime _timestamp;
    private FatType? _type;
    private long? _minimumSizeBytes;
    private FatPlan? _plan;

    /// <param name="volumeLabel">At most 11 upper-case short-name characters or spaces; "" for no label.</param>
    /// <param name="volumeId">BS_VolID, the serial shown as XXXX-XXXX.</param>
    /// <param name="timestamp">Every entry's create/write/access time (FAT local time; pass UTC), years 1980-2107.</param>
    public FatImageBuilder(string volumeLabel, uint volumeId, DateTime timestamp)
    {
        FatNames.ValidateLabel(volumeLabel, nameof(volumeLabel));
        if (timestamp.Year is < 1980 or > 2107)
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "FAT dates cover the years 1980 to 2107.");
        _volumeLabel = volumeLabel.TrimEnd();
        _volumeId = volumeId;
        _timestamp = timestamp;
    }

    /// <summary>The FAT type to write; null picks the type of the smallest image that fits.</summary>
    public FatType? Type
    {
        get => _type;
        set { _type = value; _plan = null; }
    }

    /// <summary>The image is at least this big; null means as small as the content (plus a margin) allows.</summary>
    public long? MinimumSizeBytes
    {
        get => _minimumSizeBytes;
        set
        {
            if (value is < 0) throw new ArgumentOutOfRangeException(nameof(MinimumSizeBytes), value, "Must not be negative.");
            _minimumSizeBytes = value;
            _plan = null;
        }
    }

    /// <summary>BPB_HiddSec: sectors before this volume when it is written into a partition (0 for a bare image).</summary>
    public uint HiddenSectors { get; set; }

    /// <summary>Total image size; computes the layout on first access.</summary>
    public long PlannedSizeBytes => Plan.Geometry.SizeBytes;

    public FatType PlannedType => Plan.Geometry.Type;

    /// <summary>Data clusters in the planned image.</summary>
    public long PlannedClusterCount => Plan.Geometry.ClusterCount;

    /// <summary>Bytes per cluster in the planned image.</summary>
    public int PlannedClusterBytes => Plan.Geometry.ClusterBytes;

    private FatPlan Plan => _plan ??= FatPlan.Create(_root, _volumeLabel.Length > 0, _type, _minimumSizeBytes);

    /// <summary>Adds a directory and any missing parents ("EFI/BOOT"); adding an existing directory does nothing.</summary>
    public void AddDirectory(string path) => GetOrCreateDirectory(SplitPath(path, nameof(path)), path);

    /// <summary>Adds a file whose bytes are read from <paramref name="hostPath"/> when the image is written.</summary>
    public void AddFile(string path, string hostPath)
    {
        ArgumentNullException.ThrowIfNull(hostPath);
        var info = new FileInfo(hostPath);
        if (!info.Exists) throw new FileNotFoundException($"Host file for FAT path '{path}' does not exist.", hostPath);
        AddFileNode(path, info.Length, content: null, info.FullName);
    }

    /// <summary>Adds a file with in-memory content (the array is kept, not copied).</summary>
    public void AddFile(string path, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        AddFileNode(path, content.Length, content, hostPath: null);
    }

    private void AddFileNode(string path, long length, byte[]? content, string? hostPath)
    {
        var parts = SplitPath(path, nameof(path));
        if (length > uint.MaxValue)
            throw new ArgumentException($"File '{path}' is {length} bytes; FAT32 allows at most {uint.MaxValue} (4 GiB - 1).", nameof(path));
        var parent = GetOrCreateDirectory(parts[..^1], path);
        var name = parts[^1];
        if (parent.Children.TryGetValue(name, out var existing))
            throw new ArgumentException($"FAT path '{path}' already exists as '{existing.Name}' (FAT names ignore case).", nameof(path));
        parent.Children[name] = new FatFileNode(name, parent, length, content, hostPath);
        _plan = null;
    }

    private FatDirectoryNode GetOrCreateDirectory(string[] parts, string path)
    {
        var dir = _root;
        foreach (var part in parts)
        {
            if (dir.Children.TryGetValue(part, out var child))
            {
                dir = child as FatDirectoryNode
                    ?? throw new ArgumentException($"FAT path '{path}': '{child.Name}' is a file, not a directory.", nameof(path));
                continue;
            }
            var created = new FatDirectoryNode(part, dir);
            dir.Children[part] = created;
            dir = created;
            _plan = null;
        }
        return dir;
    }

    /// <summary>Splits on '/' or '\'; a leading separator is allowed ("/EFI/BOOT" = "EFI/BOOT").</summary>
    private static string[] SplitPath(string path, string paramName)
    {
        ArgumentNullException.ThrowIfNull(path, paramName);
        var trimmed = path.Replace('\\', '/').TrimStart('/');
        if (trimmed.Length == 0) throw new ArgumentException("The FAT path is empty.", paramName);
        var parts = trimmed.Split('/');
        foreach (var part in parts) FatNames.ValidateLongName(part, path, paramName);
        return parts;
    }
}
