using RescueKit.Core;
using RescueKit.Formats.Iso9660;

namespace RescueKit.Media;

/// <summary>What `rescuekit mkiso` is asked to do: any directory to an ISO, optionally bootable and hybrid.</summary>
public sealed record DirectoryIsoRequest(
    string SourceDirectory,
    string OutputPath,
    string Label,
    DateTimeOffset Timestamp,
    string? BiosBoot = null,
    string? EfiBoot = null,
    bool Hybrid = false,
    string HostRoot = "/");

/// <summary>A mkisofs for hosts that have none, on the same writer as the rescue ISO.</summary>
public static class DirectoryIso
{
    public static void Write(DirectoryIsoRequest request)
    {
        if (!Directory.Exists(request.SourceDirectory))
            throw new BadInputException($"source directory {request.SourceDirectory} does not exist: give an existing directory");
        var iso = new IsoBuilder(new IsoOptions { VolumeIdentifier = request.Label, Timestamp = request.Timestamp });
        iso.AddHostTree(request.SourceDirectory);

        string? Relative(string? path, string option)
        {
            if (path is null) return null;
            var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(request.SourceDirectory, path));
            var rel = Path.GetRelativePath(Path.GetFullPath(request.SourceDirectory), full);
            if (rel.StartsWith("..", StringComparison.Ordinal) || !File.Exists(full))
                throw new BadInputException($"{option} {path} is not a file inside {request.SourceDirectory}: give a path inside the source tree");
            return rel.Replace('\\', '/');
        }

        var bios = Relative(request.BiosBoot, "--bios-boot");
        var efi = Relative(request.EfiBoot, "--efi-boot");
        if (request.Hybrid && bios is null)
            throw new BadInputException("--hybrid needs --bios-boot (the isolinux.bin the USB boot code starts)");
        if (bios is not null || efi is not null)
        {
            byte[]? mbr = null;
            if (request.Hybrid)
            {
                var mbrPath = Path.Combine(request.HostRoot, "usr/lib/ISOLINUX/isohdpfx.bin");
                if (!File.Exists(mbrPath))
                    throw new MissingPrerequisiteException("the isohybrid MBR (USB boot code)", "isolinux", "/usr/lib/ISOLINUX/isohdpfx.bin not found");
                mbr = File.ReadAllBytes(mbrPath);
            }
            iso.Boot = new ElToritoOptions
            {
                BiosBootImage = bios,
                BootCatalog = bios is null ? "boot.cat" : Path.GetDirectoryName(bios)!.Replace('\\', '/') is { Length: > 0 } d ? $"{d}/boot.cat" : "boot.cat",
                EfiBootImage = efi,
                HybridMbr = mbr,
                HybridGpt = mbr is not null,
            };
        }
        var outDir = Path.GetDirectoryName(Path.GetFullPath(request.OutputPath))!;
        if (!Directory.Exists(outDir))
            throw new BadInputException($"output directory {outDir} does not exist: create it first");
        iso.WriteTo(request.OutputPath);
    }
}
