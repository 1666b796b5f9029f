using RescueKit.Discovery;
using RescueKit.Host;
using RescueKit.Media.Rootfs;
using Serilog;

namespace RescueKit.Media;

/// <summary>The mutable state the build steps fill in, one after another.</summary>
public sealed class BuildContext(RescueConfig config, IToolRunner runner, ILogger log, string workDirectory)
{
    public RescueConfig Config { get; } = config;
    public IToolRunner Runner { get; } = runner;
    public ILogger Log { get; } = log;

    /// <summary>Scratch space for this build, removed at the end whatever happens.</summary>
    public string WorkDirectory { get; } = workDirectory;

    public KernelImage? Kernel { get; set; }
    internal BootFiles? BootFiles { get; set; }
    internal Pxe.PxeBootFiles? PxeBootFiles { get; set; }

    /// <summary>The PXE tree's signed UEFI path; null when the host lacks it (a note says why).</summary>
    internal Pxe.PxeSignedUefi? PxeSignedUefi { get; set; }

    /// <summary>Debian's signed shim and GRUB when the medium boots through them (Secure Boot); null for unsigned GRUB.</summary>
    internal SecureBootFiles? SecureBootFiles { get; set; }
    public ModuleSet? ModuleSet { get; set; }

    /// <summary>The part of <see cref="ModuleSet"/> the initramfs holds; the rest is in <see cref="MediaFiles"/>.</summary>
    public ModuleSet? BootModuleSet { get; set; }

    /// <summary>The module files the rescue system holds, relative to its modules directory, as modules.dep names them.</summary>
    public IReadOnlyList<string> ShippedModules { get; set; } = [];

    /// <summary>Files that go on the medium beside the boot files: path on the medium → host file.</summary>
    public SortedDictionary<string, string> MediaFiles { get; } = new(StringComparer.Ordinal);
    internal RootfsManifest Rootfs { get; } = new();

    /// <summary>Tools found on the host and put into the rescue system: name → path in the rescue tree.</summary>
    public SortedDictionary<string, string> Tools { get; } = new(StringComparer.Ordinal);

    /// <summary>Tools of DESIGN §5 the host lacks, with the package that provides each.</summary>
    public List<(string Tool, string Package)> MissingTools { get; } = [];

    public string? InitramfsPath { get; set; }
    public string? EfiImagePath { get; set; }

    /// <summary>The files of the EFI system partition (path on it → file here), the same on the FAT image, on the
    /// ISO 9660 tree (firmware and GRUB may read either) and on a USB stick's ESP.</summary>
    public SortedDictionary<string, string> EspFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Messages worth repeating to the user at the end (fallbacks taken, optional tools missing).</summary>
    public List<string> Notes { get; } = [];

    public long EpochSeconds => Config.Timestamp.ToUnixTimeSeconds();
}
