using RescueKit.Core;

namespace RescueKit.Media.Steps;

/// <summary>Lays out the top of the rescue tree: the host's merged-/usr links, the mount points, the console node.</summary>
internal sealed class CreateSkeletonStep : IBuildStep
{
    private static readonly string[] TopLevelLinks = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];
    private static readonly string[] Directories = ["dev", "proc", "sys", "run", "tmp", "root", "mnt", "etc", "var", "usr/bin", "usr/sbin", "usr/lib"];

    public string Title => "Creating the rescue tree";

    public void Run(BuildContext context, CancellationToken cancellationToken)
    {
        var rootfs = context.Rootfs;
        // Mirror merged /usr (Debian 12: /lib -> usr/lib) so host paths resolve the same way inside the rescue system.
        foreach (var name in TopLevelLinks)
        {
            var target = new FileInfo(Path.Combine(context.Config.HostRoot, name)).LinkTarget;
            if (target is not null) rootfs.AddSymlink(name, target);
        }
        foreach (var dir in Directories) rootfs.AddDirectory(dir);
        rootfs.AddDirectory("tmp", UnixModes.StickyAll);
        rootfs.AddDirectory("root", UnixModes.PrivateDirectory);
        // The kernel opens /dev/console before /init runs and devtmpfs is not mounted yet. Nothing else goes in /dev:
        // init mounts devtmpfs over it.
        rootfs.AddDevice("dev/console", block: false, 5, 1, UnixModes.Private);
    }
}
