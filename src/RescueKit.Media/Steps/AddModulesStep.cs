using RescueKit.Core;
using RescueKit.Discovery;
using RescueKit.Formats.Elf;
using RescueKit.Host.Compression;
using RescueKit.Media.Rootfs;

namespace RescueKit.Media.Steps;

/// <summary>
/// Adds the resolved modules, zstd-compressed, the firmware, and a modules.dep index built for exactly that subset, so
/// modprobe inside the rescue system never names a module that is not there. The modules and firmware outside
/// <see cref="BuildContext.BootModuleSet"/> go on the medium; the initramfs holds symlinks to where init mounts it
/// (<see cref="BootModules"/>).
/// </summary>
/// <remarks>
/// Compressed modules halve what the kernel must unpack into RAM at boot: measured on a host rescue tree, 112 MB of
/// modules become 30 MB, the initramfs unpacks 78 MB instead of 160 MB, and the compressed initramfs stays the same
/// size. zstd because kmod decompresses it several times faster than xz, which shows in a boot under emulation. A module
/// is compressed once, from its ELF bytes (a host's .ko.xz is decompressed first, never wrapped), with its size in the
/// frame (kmod 34 needs it). Where the rescue system's kmod cannot read zstd, the modules stay as the host ships them.
/// </remarks>
internal sealed class AddModulesStep : IBuildStep
{
    public string Title => "Adding kernel modules and firmware";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var kernel = context.Kernel!;
        var set = context.ModuleSet!;
        var modulesDir = kernel.ModulesDirectory;
        var rescueModulesDir = $"lib/modules/{kernel.Version}";
        var compressedDir = Path.Combine(context.WorkDirectory, "modules");
        var target = KmodReadsZstd(context) ? ModuleCompression.Zstd : (ModuleCompression?)null;
        if (target is null)
            context.Log.Information("kmod here reads no zstd: the modules stay compressed as the host ships them");

        // Module path in modules.dep of the host → (file to ship, its path in the rescue tree's modules directory).
        var shipped = ParallelWork.Map(set.Modules, rel =>
        {
            var host = Path.Combine(modulesDir, rel);
            var source = ModuleFiles.CompressionOf(rel)
                ?? throw new InvalidDataException($"{host}: modules.dep names a file that is not a kernel module (.ko, .ko.gz, .ko.xz, .ko.zst)");
            var form = target ?? source;
            var storedPath = StoredPath(rel, form);
            if (form == source) return (File: host, Path: storedPath);
            var file = Path.Combine(compressedDir, storedPath);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var elf = ModuleFiles.ReadElf(host);
            using (var output = File.Create(file))
            using (var zstd = new ZstdCompressStream(output, InitramfsWriter.DefaultZstdLevel, contentSize: elf.Length))
                zstd.Write(elf);
            return (File: file, Path: storedPath);
        }, cancellationToken);
        var stored = set.Modules.Zip(shipped).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);

        // depmod reads the shipped modules through a farm of symlinks: its output is exactly what we ship.
        var farm = Path.Combine(context.WorkDirectory, "depmod");
        var farmModules = Path.Combine(farm, "lib", "modules", kernel.Version);
        Directory.CreateDirectory(farmModules);
        var boot = context.BootModuleSet!;
        var bootModules = boot.Modules.ToHashSet(StringComparer.Ordinal);
        foreach (var rel in set.Modules)
        {
            var (file, storedPath) = stored[rel];
            var inRescue = $"{rescueModulesDir}/{storedPath}";
            if (bootModules.Contains(rel))
                context.Rootfs.AddHostFile(file, inRescue, "/");
            else
                KeepOnMedium(context, file, inRescue, $"{BootModules.MediaModulesDirectory}/{Path.GetFileName(inRescue)}");
            var link = Path.Combine(farmModules, storedPath);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, file);
        }
        foreach (var meta in set.MetadataFiles)
            File.Copy(Path.Combine(modulesDir, meta), Path.Combine(farmModules, meta), overwrite: true);

        context.Runner.Run(["depmod", "-b", farm, kernel.Version], cancellationToken: cancellationToken);

        foreach (var file in Directory.EnumerateFiles(farmModules, "modules.*").Order(StringComparer.Ordinal))
            context.Rootfs.AddGenerated($"{rescueModulesDir}/{Path.GetFileName(file)}", File.ReadAllBytes(file));
        context.ShippedModules = set.Modules.Select(rel => stored[rel].Path).Order(StringComparer.Ordinal).ToList();

        var bootFirmware = boot.Firmware.ToHashSet(StringComparer.Ordinal);
        foreach (var fw in set.Firmware)
        {
            if (bootFirmware.Contains(fw))
                context.Rootfs.AddHostFile(fw, fw, "/");
            else
                KeepOnMedium(context, fw, fw, $"{BootModules.MediaFirmwareDirectory}{fw}");
        }
    }

    /// <summary>"kernel/fs/ext4/ext4.ko.xz" stored as zstd is "kernel/fs/ext4/ext4.ko.zst": one compression suffix,
    /// whatever the host's was.</summary>
    public static string StoredPath(string relativePath, ModuleCompression form)
        => ModuleFiles.WithoutSuffix(relativePath) + ModuleFiles.SuffixOf(form);

    /// <summary>The rescue system's kmod (the host's) links libzstd, or declares it in a dlopen note (kmod 34).</summary>
    private static bool KmodReadsZstd(BuildContext context)
    {
        var kmod = Path.Join(context.Config.HostRoot, context.Tools["kmod"]);
        var info = ElfReader.TryRead(kmod);
        return info is not null && info.Needed.Concat(info.Dlopen.SelectMany(d => d.Sonames))
            .Any(library => library.StartsWith("libzstd.so", StringComparison.Ordinal));
    }

    /// <summary>The file goes on the medium at <paramref name="onMedium"/>; the rescue tree links to it there.</summary>
    private static void KeepOnMedium(BuildContext context, string hostFile, string inRescue, string onMedium)
    {
        context.MediaFiles[onMedium] = hostFile;
        context.Rootfs.AddSymlink(inRescue, $"{BootModules.RescueMediaMount}/{onMedium}");
    }
}
