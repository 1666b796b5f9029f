using System.Text;

namespace RescueKit.Formats.Iso9660;

// Input validation and boot setup: every error is raised before a byte is written.
public sealed partial class IsoBuilder
{
    private static void ValidateOptions(IsoOptions o)
    {
        if (string.IsNullOrEmpty(o.VolumeIdentifier) || o.VolumeIdentifier.Length > 32 || !o.VolumeIdentifier.All(IsoEncoding.IsDChar))
            throw new ArgumentException(
                $"VolumeIdentifier '{o.VolumeIdentifier}' must be 1..32 upper-case d-characters (A-Z 0-9 _)", nameof(o.VolumeIdentifier));
        IsoEncoding.ValidateDirectoryDate(o.Timestamp, nameof(o.Timestamp));
        ValidateLength(o.Publisher, 128, nameof(o.Publisher));
        ValidateLength(o.Application, 128, nameof(o.Application));
        ValidateLength(o.SystemIdentifier, 32, nameof(o.SystemIdentifier));
    }

    private static void ValidateLength(string? text, int max, string field)
    {
        if (text is not null && text.Length > max)
            throw new ArgumentException($"{field} is {text.Length} characters; the limit is {max}", field);
    }

    private static void ValidateMeta(UnixMetadata meta, string path)
    {
        if (meta.Permissions is < 0 or > 0xFFF)
            throw new ArgumentException($"Permissions of '{path}' must be within 07777", nameof(meta));
        if (meta.Uid < 0 || meta.Gid < 0)
            throw new ArgumentException($"Uid/Gid of '{path}' must not be negative", nameof(meta));
        IsoEncoding.ValidateDirectoryDate(meta.ModificationTime, nameof(meta.ModificationTime));
    }

    /// <summary>Splits an ISO path on '/', rejecting empty, ".", ".." and over-long components.</summary>
    private static string[] SplitPath(string path, bool allowRoot)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Trim('/').Split('/');
        if (parts is [""]) return allowRoot ? [] : throw new ArgumentException("the root cannot be a file", nameof(path));
        foreach (var p in parts)
        {
            if (p is "" or "." or ".." || p.Contains('\0'))
                throw new ArgumentException($"'{path}' has an invalid component '{p}'", nameof(path));
            if (Encoding.UTF8.GetByteCount(p) > MaxNameBytes)
                throw new ArgumentException($"name '{p}' exceeds {MaxNameBytes} UTF-8 bytes", nameof(path));
        }
        return parts;
    }

    private IsoNode? Find(string path)
    {
        IsoNode node = root;
        foreach (var part in SplitPath(path, allowRoot: true))
            if (node is not IsoDirectory d || !d.Children.TryGetValue(part, out node!)) return null;
        return node;
    }

    /// <summary>Resolves the boot images, adds the catalog file and checks the hybrid setup (formats.md §7, §9).</summary>
    private IsoPlan.BootSetup PrepareBoot(ElToritoOptions b)
    {
        var bios = BootImage(b.BiosBootImage, nameof(b.BiosBootImage));
        var efi = BootImage(b.EfiBootImage, nameof(b.EfiBootImage));
        if (bios is null && efi is null)
            throw new ArgumentException("El Torito needs BiosBootImage or EfiBootImage", nameof(Boot));
        if (bios is not null && bios.Content.Length is < BootInfoTable.ChecksumStart or > uint.MaxValue)
            throw new ArgumentException(
                $"BiosBootImage '{b.BiosBootImage}' has {bios.Content.Length} bytes; a boot image needs 64..{uint.MaxValue}", nameof(Boot));
        if (b.HybridMbr is not null)
        {
            if (b.HybridMbr.Length < HybridSystemArea.MbrCodeLength)
                throw new ArgumentException($"HybridMbr has {b.HybridMbr.Length} bytes; isohdpfx.bin has at least {HybridSystemArea.MbrCodeLength}", nameof(Boot));
            if (bios is null)
                throw new ArgumentException("HybridMbr needs BiosBootImage: its code loads isolinux.bin", nameof(Boot));
        }
        if (Find(b.BootCatalog) is not null)
            throw new ArgumentException($"BootCatalog '{b.BootCatalog}' is already in the tree; the builder adds it", nameof(Boot));

        var catalogMeta = new UnixMetadata(Convert.ToInt32("444", 8), 0, 0, options.Timestamp);
        var parts = SplitPath(b.BootCatalog, allowRoot: false);
        var catalog = new IsoFile(parts[^1], catalogMeta, new GeneratedContent(IsoEncoding.BlockSize, () => BootCatalog.Build(
            bios is null ? null : new BootCatalog.Image(bios.Lba, bios.Content.Length),
            efi is null ? null : new BootCatalog.Image(efi.Lba, efi.Content.Length))));
        Attach(EnsureParents(parts), catalog);
        generatedCatalog = catalog;
        return new IsoPlan.BootSetup(b, catalog, bios, efi);
    }

    private IsoFile? BootImage(string? path, string field)
    {
        if (path is null) return null;
        return Find(path) as IsoFile ?? throw new ArgumentException($"{field} '{path}' must be a file added to the tree", nameof(Boot));
    }
}
