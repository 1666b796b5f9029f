using RescueKit.Core;
using System.Text;
using RescueKit.Formats.Iso9660;

namespace RescueKit.Media.Steps;

/// <summary>Lays out the hybrid BIOS+UEFI ISO and writes it beside its final name, renaming only when complete.</summary>
internal sealed class WriteIsoStep : IBuildStep
{
    public string Title => "Writing the ISO image";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var config = context.Config;
        Directory.CreateDirectory(config.OutputDirectory);
        Compose(context).WriteTo(config.IsoPath);
        context.Log.Information("Wrote {Path} ({Size:N0} bytes)", config.IsoPath, new FileInfo(config.IsoPath).Length);
    }

    /// <summary>The rescue ISO's tree and boot setup, not yet written, so a caller can add more (a backup) first.</summary>
    public static IsoBuilder Compose(BuildContext context)
    {
        var config = context.Config;
        var boot = context.BootFiles!;
        var time = config.Timestamp;
        var file = new UnixMetadata(UnixModes.ReadOnlyFile, 0, 0, time);
        var dir = new UnixMetadata(UnixModes.ReadOnlyDirectory, 0, 0, time);

        var iso = new IsoBuilder(new IsoOptions
        {
            VolumeIdentifier = config.Label,
            Timestamp = time,
            Publisher = "RESCUEKIT",
            Application = $"RESCUEKIT {config.Version}",
            SystemIdentifier = "LINUX",
        });
        foreach (var d in new[] { "isolinux", "boot", "boot/grub", "EFI", "EFI/BOOT", "rescuekit" })
            iso.AddDirectory(d, dir);

        iso.AddFile("isolinux/isolinux.bin", boot.IsolinuxBin, file);
        foreach (var m in BootFiles.IsolinuxModules)
            iso.AddFile($"isolinux/{m}", Path.Combine(boot.SyslinuxModules, m), file);
        iso.AddFile("isolinux/isolinux.cfg", Encoding.UTF8.GetBytes(BootMenus.Isolinux(config)), file);

        iso.AddFile("boot/vmlinuz", context.Kernel!.ImagePath, file);
        iso.AddFile("boot/initrd.img", context.InitramfsPath!, file);
        iso.AddFile("boot/grub/grub.cfg", Encoding.UTF8.GetBytes(BootMenus.Grub(config)), file);
        iso.AddFile("boot/grub/efiboot.img", context.EfiImagePath!, file);
        // Firmware that reads the ISO 9660 tree directly (some UEFI CD stacks) looks for the removable-media path; GRUB
        // started from the El Torito image sees the CD as a whole, so its prefix /EFI/debian is on this tree (SecureBootFiles).
        foreach (var (path, host) in context.EspFiles)
        {
            AddParents(iso, path, dir);
            iso.AddFile(path, host, file);
        }
        iso.AddFile("rescuekit/build.json", Encoding.UTF8.GetBytes(BuildInfo(context)), file);
        foreach (var (path, host) in context.MediaFiles)
        {
            AddParents(iso, path, dir);
            iso.AddFile(path, host, file);
        }

        iso.Boot = new ElToritoOptions
        {
            BiosBootImage = "isolinux/isolinux.bin",
            BootCatalog = "isolinux/boot.cat",
            BootInfoTable = true,
            EfiBootImage = "boot/grub/efiboot.img",
            HybridMbr = File.ReadAllBytes(boot.IsohybridMbr),
            HybridGpt = true,
        };
        return iso;
    }

    private static void AddParents(IsoBuilder iso, string path, UnixMetadata dir)
    {
        for (var parent = Path.GetDirectoryName(path); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
            iso.AddDirectory(parent, dir);
    }

    /// <summary>rescuekit/build.json: what built the medium, from which kernel, when (on the ISO and the USB ESP).</summary>
    internal static string BuildInfo(BuildContext context)
    {
        var c = context.Config;
        return "{\n" +
               $"  \"formatVersion\": 1,\n  \"tool\": \"rescuekit {c.Version}\",\n  \"host\": \"{c.HostName}\",\n" +
               $"  \"kernel\": \"{context.Kernel!.Version}\",\n  \"built\": \"{c.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\",\n" +
               $"  \"label\": \"{c.Label}\",\n  \"modules\": {context.ModuleSet!.Modules.Count},\n" +
               $"  \"modulesInInitramfs\": {context.BootModuleSet!.Modules.Count},\n" +
               $"  \"secureBoot\": {(context.SecureBootFiles is null ? "false" : "true")}\n}}\n";
    }
}
