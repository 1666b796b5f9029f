namespace RescueKit.Discovery;

/// <summary>Finds a firmware file the way the kernel's firmware loader searches (drivers/base/firmware_loader:
/// fw_path[]), plus the compressed forms it accepts with CONFIG_FW_LOADER_COMPRESS.</summary>
internal static class FirmwareLocator
{
    private static readonly string[] Suffixes = ["", ".zst", ".xz"];

    /// <summary>The host path of firmware <paramref name="name"/> (e.g. "e100/d101m_ucode.bin") with its symlink
    /// chain, or empty when it is not installed.</summary>
    public static IReadOnlyList<string> Find(string name, string kernelVersion, string root)
    {
        string[] directories =
        [
            $"/lib/firmware/updates/{kernelVersion}", "/lib/firmware/updates", $"/lib/firmware/{kernelVersion}", "/lib/firmware",
        ];
        foreach (var dir in directories)
            foreach (var suffix in Suffixes)
            {
                var candidate = HostPath.Under(root, $"{dir}/{name}{suffix}");
                if (File.Exists(candidate)) return HostPath.WithSymlinkChain(candidate, root).ToList();
            }
        return [];
    }
}
