using System.Text;

namespace RescueKit.Formats.Iso9660;

/// <summary>
/// Builds an ISO 9660 image with Rock Ridge (RRIP 1.10), Joliet, El Torito (BIOS + UEFI) and an optional isohybrid
/// MBR+GPT. Objects are collected first; <see cref="Plan"/> lays out every extent, and <see cref="WriteTo(Stream)"/>
/// streams the image, reading host files only while their extent is written.
/// </summary>
/// <remarks>
/// Directories deeper than ECMA-119's 8 levels (and paths longer than 255 characters) are written as they are, without
/// rr_moved relocation: xorriso does the same by default and Linux, libarchive and ISOLINUX read them.
/// </remarks>
public sealed partial class IsoBuilder
{
    /// <summary>Linux NAME_MAX: the longest Rock Ridge name a reader will accept.</summary>
    public const int MaxNameBytes = 255;
    /// <summary>Keeps a symlink's SL entries (plus its NM) within one continuation block.</summary>
    public const int MaxSymlinkTargetBytes = 1024;

    private readonly IsoOptions options;
    private readonly IsoDirectory root;
    private IsoPlan? plan;
    private IsoFile? generatedCatalog;
    private ElToritoOptions? boot;

    public IsoBuilder(IsoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);
        this.options = options;
        root = new IsoDirectory("", DefaultDirectoryMeta());
    }

    public ElToritoOptions? Boot
    {
        get => boot;
        set { Invalidate(); boot = value; }
    }

    /// <summary>The image size in bytes; plans the image if that has not happened since the last change.</summary>
    public long PlannedSize => PlanCore().TotalBytes;

    /// <summary>Adds a directory, or sets the metadata of one created implicitly ("" is the root).</summary>
    public void AddDirectory(string path, UnixMetadata meta)
    {
        ValidateMeta(meta, path);
        var parts = SplitPath(path, allowRoot: true);
        Invalidate();
        if (parts.Length == 0) { root.Meta = meta; return; }
        var parent = EnsureParents(parts);
        if (parent.Children.TryGetValue(parts[^1], out var existing))
        {
            if (existing is not IsoDirectory dir) throw new ArgumentException($"'{path}' already exists and is not a directory", nameof(path));
            dir.Meta = meta;
        }
        else
        {
            Attach(parent, new IsoDirectory(parts[^1], meta));
        }
    }

    public void AddFile(string path, string hostPath, UnixMetadata meta)
    {
        ArgumentNullException.ThrowIfNull(hostPath);
        var info = new FileInfo(hostPath);
        if (!info.Exists) throw new ArgumentException($"host file '{hostPath}' for '{path}' does not exist", nameof(hostPath));
        AddLeaf(path, meta, name => new IsoFile(name, meta, new HostFileContent(info.FullName, info.Length)));
    }

    public void AddFile(string path, byte[] content, UnixMetadata meta)
    {
        ArgumentNullException.ThrowIfNull(content);
        AddLeaf(path, meta, name => new IsoFile(name, meta, new BytesContent(content)));
    }

    /// <summary>A Rock Ridge symlink (SL); it has no Joliet form and is left out of the Joliet tree.</summary>
    public void AddSymlink(string path, string target, UnixMetadata meta)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (Encoding.UTF8.GetByteCount(target) > MaxSymlinkTargetBytes)
            throw new ArgumentException($"symlink target of '{path}' exceeds {MaxSymlinkTargetBytes} bytes", nameof(target));
        AddLeaf(path, meta, name => new IsoSymlink(name, meta, target));
    }

    /// <summary>A Rock Ridge device node (PX type bits + PN); left out of the Joliet tree.</summary>
    public void AddDevice(string path, bool isBlockDevice, int major, int minor, UnixMetadata meta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(major);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        AddLeaf(path, meta, name => new IsoDevice(name, meta, isBlockDevice, major, minor));
    }

    /// <summary>Lays out the image (names, sizes, LBAs) and validates the boot setup; nothing is read or written.</summary>
    public void Plan() => _ = PlanCore();

    public void WriteTo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        PlanCore().Write(new ImageOutput(output, sparse: false));
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/> and renames it on success; on failure
    /// the temporary file is deleted, so no partial image is ever left at <paramref name="path"/>.</summary>
    public void WriteTo(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var p = PlanCore();
        var full = System.IO.Path.GetFullPath(path);
        var temp = full + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
                p.Write(new ImageOutput(stream, sparse: true));
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private IsoPlan PlanCore()
    {
        if (plan is not null) return plan;
        Invalidate();
        var setup = boot is null ? null : PrepareBoot(boot);
        plan = new IsoPlan(options, root, setup);
        return plan;
    }

    private void AddLeaf(string path, UnixMetadata meta, Func<string, IsoNode> create)
    {
        ValidateMeta(meta, path);
        var parts = SplitPath(path, allowRoot: false);
        Invalidate();
        var parent = EnsureParents(parts);
        if (parent.Children.ContainsKey(parts[^1])) throw new ArgumentException($"'{path}' was already added", nameof(path));
        Attach(parent, create(parts[^1]));
    }

    /// <summary>Drops the plan and the boot catalog it added, so the tree holds only what the caller added.</summary>
    private void Invalidate()
    {
        plan = null;
        if (generatedCatalog is null) return;
        generatedCatalog.Parent!.Children.Remove(generatedCatalog.Name);
        generatedCatalog = null;
    }

    private static void Attach(IsoDirectory parent, IsoNode node)
    {
        node.Parent = parent;
        parent.Children.Add(node.Name, node);
    }

    /// <summary>Walks to the parent of the last component, creating missing directories as 0555 root:root.</summary>
    private IsoDirectory EnsureParents(string[] parts)
    {
        var dir = root;
        foreach (var part in parts[..^1])
        {
            if (!dir.Children.TryGetValue(part, out var next))
            {
                next = new IsoDirectory(part, DefaultDirectoryMeta());
                Attach(dir, next);
            }
            dir = next as IsoDirectory ?? throw new ArgumentException($"'{next.Path}' is not a directory");
        }
        return dir;
    }

    private UnixMetadata DefaultDirectoryMeta() => new(Convert.ToInt32("555", 8), 0, 0, options.Timestamp);
}
